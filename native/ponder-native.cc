// ponder's native decode step for the embedded engine (src/backends/llama/context-driver.ts).
//
// node-llama-cpp decodes a batch in one async call and then samples each sequence's next token in
// another async call of its own, so every generated token costs the JavaScript thread a round trip
// through libuv, and the next decode waits for the slowest of them. Here one async call runs a
// whole step on a worker thread: the context's pending KV-cache operations, the decode, and every
// sampling and logits read the step asks for. The JavaScript side sends a step and gets its tokens.
//
// It drives the llama_context that node-llama-cpp created (the same model, weights and KV cache;
// nothing is loaded twice) and links against node-llama-cpp's own libllama, so the sampler chains
// below are the very ones node-llama-cpp builds (AddonSampler::ApplyConfig and rebuildChainIfNeeded
// for temperature, top-k, top-p, min-p and seed; nothing else is used): a seed draws the same
// tokens on either path, which test/native-step.test.ts checks.
//
// A step can also run on by itself: when every read of it is a generation that may go on (a sample
// job with a limit above 1), the worker feeds each drawn token back and decodes again, until a
// generation ends (an end-of-generation token, its limit, one of its stop strings), the JavaScript
// side has other work for the context (interrupt), or maxSteps. The JavaScript thread then handles
// a run of tokens per sequence instead of one, and the decode thread does not wait for it between
// tokens. Its checks are a hint: the JavaScript side still decides where a completion ends, and a
// token decoded past that end stays in the KV cache as what it is.
//
// Built by scripts/build-native.sh against the llama.cpp headers of the commit node-llama-cpp ships.

#include <napi.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "llama.h"

namespace {

// The first members of node-llama-cpp's AddonContext (llama/addon/AddonContext.h, 3.22.1): an
// ObjectWrap of the same node-addon-api, then these three fields. contextHandle checks the
// parameters it reads before it trusts the pointer.
struct AddonContextPrefix : public Napi::ObjectWrap<AddonContextPrefix> {
  void* model;
  llama_context_params context_params;
  llama_context* ctx;
};

// A context as the addon holds it: node-llama-cpp's llama_context and the flag that ends a run of steps.
struct Context {
  llama_context* ctx;
  std::atomic<bool> interrupt{false};
};

Context* ContextOf(const Napi::Value& value) {
  return value.As<Napi::External<Context>>().Data();
}

// contextHandle(addonContext, nSeqMax): the llama_context behind node-llama-cpp's AddonContext.
Napi::Value ContextHandle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  napi_value object = info[0];
  void* raw = nullptr;
  if (napi_unwrap(env, object, &raw) != napi_ok || raw == nullptr) throw Napi::Error::New(env, "not a node-llama-cpp context");
  const uint32_t seqMax = info[1].As<Napi::Number>().Uint32Value();
  auto* prefix = reinterpret_cast<AddonContextPrefix*>(raw);
  const bool fits = prefix->context_params.n_seq_max == seqMax && prefix->ctx != nullptr && llama_n_seq_max(prefix->ctx) == seqMax &&
                    llama_n_batch(prefix->ctx) <= prefix->context_params.n_batch;
  if (!fits) throw Napi::Error::New(env, "node-llama-cpp's context layout is not the one this addon was built for");
  return Napi::External<Context>::New(env, new Context{prefix->ctx}, [](Napi::Env, Context* c) { delete c; });
}

// interrupt(context): the step in flight ends after the decode it is running (the JavaScript side has new work).
Napi::Value Interrupt(const Napi::CallbackInfo& info) {
  ContextOf(info[0])->interrupt.store(true, std::memory_order_relaxed);
  return info.Env().Undefined();
}

// createSampler(context, temperature, topK, topP, minP, seed): node-llama-cpp's chain for that config.
Napi::Value CreateSampler(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  llama_context* ctx = ContextOf(info[0])->ctx;
  const float temperature = info[1].As<Napi::Number>().FloatValue();
  const int32_t topK = info[2].As<Napi::Number>().Int32Value();
  const float topP = info[3].As<Napi::Number>().FloatValue();
  const float minP = info[4].As<Napi::Number>().FloatValue();
  const uint32_t seed = info[5].As<Napi::Number>().Uint32Value();
  const int32_t vocab = llama_vocab_n_tokens(llama_model_get_vocab(llama_get_model(ctx)));
  llama_sampler* chain = llama_sampler_chain_init(llama_sampler_chain_default_params());
  if (temperature <= 0.0f) {
    llama_sampler_chain_add(chain, llama_sampler_init_greedy());
  } else {
    const size_t minKeep = 1;
    llama_sampler_chain_add(chain, llama_sampler_init_top_k(topK <= 0 ? vocab : std::min(topK, vocab)));
    if (topP != 1.0f && topP >= 0.0f && topP <= 1.0f) llama_sampler_chain_add(chain, llama_sampler_init_top_p(topP, minKeep));
    if (minP > 0.0f) llama_sampler_chain_add(chain, llama_sampler_init_min_p(minP, minKeep));
    llama_sampler_chain_add(chain, llama_sampler_init_temp(temperature));
    llama_sampler_chain_add(chain, llama_sampler_init_dist(seed));
  }
  return Napi::External<llama_sampler>::New(env, chain, [](Napi::Env, llama_sampler* s) { llama_sampler_free(s); });
}

enum JobKind { kSample = 0, kLogitsAll = 1, kLogitsFilter = 2 };

struct Job {
  int32_t batchIndex;
  int32_t kind;
  llama_sampler* sampler = nullptr;
  bool probabilities = false;
  bool confidence = false;
  std::vector<llama_token> filter;
  // A generation that may go on past the first token: at most `limit` tokens, ending early after
  // one of `stops` appears in `text` (the completion's text so far, or its end) plus the new tokens' pieces.
  int32_t limit = 1;
  std::vector<std::string> stops;
  std::string text;
  llama_seq_id seq = 0;
  llama_pos position = 0;
  // Results: the drawn tokens (-1: the chain left none) and, when asked, each one's probability.
  std::vector<llama_token> tokens;
  std::vector<float> confidences;
  std::vector<llama_token> probTokens;
  std::vector<float> values;
};

class StepWorker : public Napi::AsyncWorker {
 public:
  StepWorker(Napi::Env env, Context* context)
      : Napi::AsyncWorker(env, "PonderStep"), context_(context), ctx_(context->ctx), deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  std::vector<int32_t> ops, tokens, positions, seqIds;
  std::vector<Job> jobs;
  std::vector<Napi::Reference<Napi::Value>> keep;
  int32_t maxSteps = 1;

 protected:
  void Execute() override {
    llama_memory_t memory = llama_get_memory(ctx_);
    for (size_t i = 0; i < ops.size();) {
      const int32_t kind = ops[i];
      if (kind == 0) {
        llama_memory_seq_rm(memory, ops[i + 1], ops[i + 2], -1);
        i += 3;
      } else if (kind == 1) {
        const llama_seq_id source = ops[i + 1], target = ops[i + 2];
        const llama_pos upTo = ops[i + 3];
        llama_memory_seq_rm(memory, target, -1, -1);
        if (upTo > 0) {
          llama_memory_seq_cp(memory, source, target, -1, -1);
          llama_memory_seq_rm(memory, target, upTo, -1);
        }
        i += 4;
      } else {
        return SetError("unknown KV-cache operation " + std::to_string(kind));
      }
    }
    if (tokens.empty()) return;
    const llama_vocab* vocabulary = llama_model_get_vocab(llama_get_model(ctx_));
    const int32_t vocab = llama_vocab_n_tokens(vocabulary);
    std::vector<llama_token_data> candidates(vocab);
    for (Job& job : jobs) {
      job.seq = seqIds[job.batchIndex];
      job.position = positions[job.batchIndex] + 1;
    }
    std::vector<char> read(tokens.size(), 0);
    for (const Job& job : jobs) read[job.batchIndex] = 1;
    if (!Decode(tokens, positions, seqIds, [&](int32_t i) { return read[i] != 0; })) return;
    tokensDecoded = static_cast<int32_t>(tokens.size());
    steps = 1;
    for (Job& job : jobs) {
      const float* logits = llama_get_logits_ith(ctx_, job.batchIndex);
      if (logits == nullptr) return SetError("no logits for batch index " + std::to_string(job.batchIndex));
      if (job.kind == kLogitsAll) {
        job.values.assign(logits, logits + vocab);
      } else if (job.kind == kLogitsFilter) {
        job.values.resize(job.filter.size());
        for (size_t i = 0; i < job.filter.size(); i++) {
          const llama_token t = job.filter[i];
          job.values[i] = t >= 0 && t < vocab ? logits[t] : -INFINITY;
        }
      } else {
        Sample(job, logits, vocab, candidates, vocabulary);
      }
    }
    // Runs on while every job is a generation that goes on.
    std::vector<int32_t> next, nextPositions, nextSeqs;
    while (steps < maxSteps && !context_->interrupt.load(std::memory_order_relaxed)) {
      if (!std::all_of(jobs.begin(), jobs.end(), [&](const Job& job) { return GoesOn(job, vocabulary); })) break;
      next.clear();
      nextPositions.clear();
      nextSeqs.clear();
      for (Job& job : jobs) {
        job.batchIndex = static_cast<int32_t>(next.size());
        next.push_back(job.tokens.back());
        nextPositions.push_back(job.position++);
        nextSeqs.push_back(job.seq);
      }
      if (!Decode(next, nextPositions, nextSeqs, [](int32_t) { return true; })) return;
      tokensDecoded += static_cast<int32_t>(next.size());
      steps++;
      for (Job& job : jobs) Sample(job, llama_get_logits_ith(ctx_, job.batchIndex), vocab, candidates, vocabulary);
    }
  }

  // One llama_decode of these tokens, logits where `wanted(i)`; false (and the error set) when it fails.
  template <typename Wanted>
  bool Decode(const std::vector<int32_t>& batchTokens, const std::vector<int32_t>& batchPositions, const std::vector<int32_t>& batchSeqs, Wanted wanted) {
    const int32_t n = static_cast<int32_t>(batchTokens.size());
    llama_batch batch = llama_batch_init(n, 0, 1);
    for (int32_t i = 0; i < n; i++) {
      batch.token[i] = batchTokens[i];
      batch.pos[i] = batchPositions[i];
      batch.n_seq_id[i] = 1;
      batch.seq_id[i][0] = batchSeqs[i];
      batch.logits[i] = wanted(i) ? 1 : 0;
    }
    batch.n_tokens = n;
    const int32_t status = llama_decode(ctx_, batch);
    llama_batch_free(batch);
    if (status != 0) SetError("llama_decode failed with status " + std::to_string(status));
    return status == 0;
  }

  // Whether a job is a generation that has not ended: its last token is a token and not the end of
  // generation, it is under its limit, and none of its stop strings has appeared.
  bool GoesOn(const Job& job, const llama_vocab* vocabulary) const {
    if (job.kind != kSample || job.limit <= 1 || job.tokens.empty()) return false;
    const llama_token last = job.tokens.back();
    if (last < 0 || llama_vocab_is_eog(vocabulary, last) || static_cast<int32_t>(job.tokens.size()) >= job.limit) return false;
    for (const std::string& stop : job.stops) {
      if (!stop.empty() && job.text.find(stop) != std::string::npos) return false;
    }
    return true;
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Array results = Napi::Array::New(env, jobs.size());
    for (size_t i = 0; i < jobs.size(); i++) {
      const Job& job = jobs[i];
      if (job.kind != kSample) {
        Napi::Float32Array values = Napi::Float32Array::New(env, job.values.size());
        std::copy(job.values.begin(), job.values.end(), values.Data());
        results[i] = values;
        continue;
      }
      Napi::Array result = Napi::Array::New(env, 4);
      Napi::Int32Array drawn = Napi::Int32Array::New(env, job.tokens.size());
      std::copy(job.tokens.begin(), job.tokens.end(), drawn.Data());
      result[0u] = drawn;
      if (job.confidence) {
        Napi::Float32Array confidences = Napi::Float32Array::New(env, job.confidences.size());
        std::copy(job.confidences.begin(), job.confidences.end(), confidences.Data());
        result[1u] = confidences;
      } else {
        result[1u] = env.Undefined();
      }
      if (job.probabilities) {
        Napi::Int32Array ids = Napi::Int32Array::New(env, job.probTokens.size());
        std::copy(job.probTokens.begin(), job.probTokens.end(), ids.Data());
        Napi::Float32Array probs = Napi::Float32Array::New(env, job.values.size());
        std::copy(job.values.begin(), job.values.end(), probs.Data());
        result[2u] = ids;
        result[3u] = probs;
      }
      results[i] = result;
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("results", results);
    out.Set("steps", Napi::Number::New(env, steps));
    out.Set("tokens", Napi::Number::New(env, tokensDecoded));
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  // AddonContextSampleTokenWorker::SampleToken for an AddonSampler without grammar, penalties or
  // token bias: the chain over every token's logit, then (when asked) probabilities over the
  // candidates the chain left, sorted by logit, and the chosen token's probability.
  // A drawn token (and its probability) goes to the job's results; so does its piece of text, for
  // the stop strings, when the job has any. Probabilities are only asked of one-token jobs.
  void Sample(Job& job, const float* logits, int32_t vocab, std::vector<llama_token_data>& candidates, const llama_vocab* vocabulary) {
    for (llama_token t = 0; t < vocab; t++) candidates[t] = llama_token_data{t, logits[t], 0.0f};
    llama_token_data_array cur{candidates.data(), static_cast<size_t>(vocab), -1, false};
    llama_sampler_apply(job.sampler, &cur);
    if (cur.size == 0 || cur.selected < 0 || cur.selected >= static_cast<int64_t>(cur.size)) {
      job.tokens.push_back(-1);
      if (job.confidence) job.confidences.push_back(NAN);
      return;
    }
    const llama_token chosen = cur.data[cur.selected].id;
    job.tokens.push_back(chosen);
    if (!job.stops.empty()) {
      char piece[256];
      const int32_t length = llama_token_to_piece(vocabulary, chosen, piece, sizeof piece, 0, false);
      if (length > 0) job.text.append(piece, static_cast<size_t>(length));
    }
    if (!job.probabilities && !job.confidence) return;
    if (!cur.sorted) {
      std::sort(cur.data, cur.data + cur.size, [](const llama_token_data& a, const llama_token_data& b) { return a.logit > b.logit; });
      cur.sorted = true;
      for (size_t i = 0; i < cur.size; i++) {
        if (cur.data[i].id == chosen) {
          cur.selected = static_cast<int64_t>(i);
          break;
        }
      }
    }
    if (job.probabilities) {
      float maxLogit = cur.data[0].logit;
      for (size_t i = 0; i < cur.size; i++) maxLogit = std::max(maxLogit, cur.data[i].logit);
      job.probTokens.resize(cur.size);
      job.values.resize(cur.size);
      if (maxLogit != -INFINITY) {
        float sum = 0.0f;
        for (size_t i = 0; i < cur.size; i++) {
          job.probTokens[i] = cur.data[i].id;
          job.values[i] = expf(cur.data[i].logit - maxLogit);
          sum += job.values[i];
        }
        for (size_t i = 0; i < cur.size; i++) job.values[i] /= sum;
      }
      if (job.confidence) job.confidences.push_back(job.values[cur.selected]);
    } else {
      float maxLogit = cur.data[0].logit;
      for (size_t i = 0; i < cur.size; i++) maxLogit = std::max(maxLogit, cur.data[i].logit);
      float sum = 0.0f;
      for (size_t i = 0; i < cur.size; i++) sum += expf(cur.data[i].logit - maxLogit);
      job.confidences.push_back(expf(cur.data[cur.selected].logit - maxLogit) / sum);
    }
  }

  Context* context_;
  llama_context* ctx_;
  Napi::Promise::Deferred deferred_;
  int32_t steps = 0;
  int32_t tokensDecoded = 0;
};

std::vector<int32_t> Ints(const Napi::Value& value) {
  Napi::Int32Array array = value.As<Napi::Int32Array>();
  return std::vector<int32_t>(array.Data(), array.Data() + array.ElementLength());
}

// step(context, ops, tokens, positions, seqIds, jobs, maxSteps): KV-cache operations, one decode, its
// samplings and logits reads, on a worker thread, and up to maxSteps - 1 more decodes of generations
// that go on (see the top). jobs[i] = [batchIndex, kind, sampler | filter, probabilities, confidence,
// limit, stops, text]. Resolves to { results, steps, tokens } (decodes run, tokens they evaluated).
Napi::Value Step(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* worker = new StepWorker(env, ContextOf(info[0]));
  worker->ops = Ints(info[1]);
  worker->tokens = Ints(info[2]);
  worker->positions = Ints(info[3]);
  worker->seqIds = Ints(info[4]);
  if (worker->positions.size() != worker->tokens.size() || worker->seqIds.size() != worker->tokens.size()) {
    delete worker;
    throw Napi::RangeError::New(env, "tokens, positions and seqIds differ in length");
  }
  Napi::Array jobs = info[5].As<Napi::Array>();
  worker->jobs.resize(jobs.Length());
  for (uint32_t i = 0; i < jobs.Length(); i++) {
    Napi::Array spec = jobs.Get(i).As<Napi::Array>();
    Job& job = worker->jobs[i];
    job.batchIndex = spec.Get(0u).As<Napi::Number>().Int32Value();
    job.kind = spec.Get(1u).As<Napi::Number>().Int32Value();
    if (job.batchIndex < 0 || job.batchIndex >= static_cast<int32_t>(worker->tokens.size())) {
      delete worker;
      throw Napi::RangeError::New(env, "a job's batch index is outside the batch");
    }
    if (job.kind == kSample) {
      Napi::Value sampler = spec.Get(2u);
      job.sampler = sampler.As<Napi::External<llama_sampler>>().Data();
      worker->keep.push_back(Napi::Persistent(sampler));
      job.probabilities = spec.Get(3u).ToBoolean().Value();
      job.confidence = spec.Get(4u).ToBoolean().Value();
      if (spec.Length() > 5 && !job.probabilities) job.limit = std::max(1, spec.Get(5u).As<Napi::Number>().Int32Value());
      if (spec.Length() > 6) {
        Napi::Array stops = spec.Get(6u).As<Napi::Array>();
        for (uint32_t k = 0; k < stops.Length(); k++) job.stops.push_back(stops.Get(k).As<Napi::String>().Utf8Value());
      }
      if (spec.Length() > 7) job.text = spec.Get(7u).As<Napi::String>().Utf8Value();
    } else if (job.kind == kLogitsFilter) {
      job.filter = Ints(spec.Get(2u));
    } else if (job.kind != kLogitsAll) {
      delete worker;
      throw Napi::RangeError::New(env, "unknown job kind");
    }
  }
  worker->maxSteps = info.Length() > 6 ? std::max(1, info[6].As<Napi::Number>().Int32Value()) : 1;
  ContextOf(info[0])->interrupt.store(false, std::memory_order_relaxed);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("contextHandle", Napi::Function::New(env, ContextHandle));
  exports.Set("createSampler", Napi::Function::New(env, CreateSampler));
  exports.Set("step", Napi::Function::New(env, Step));
  exports.Set("interrupt", Napi::Function::New(env, Interrupt));
  exports.Set("version", Napi::Number::New(env, 2));
  return exports;
}

}  // namespace

NODE_API_MODULE(ponder_native, Init)
