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
// Built by scripts/build-native.sh against the llama.cpp headers of the commit node-llama-cpp ships.

#include <napi.h>

#include <algorithm>
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

llama_context* ContextOf(const Napi::Value& value) {
  return value.As<Napi::External<llama_context>>().Data();
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
  return Napi::External<llama_context>::New(env, prefix->ctx);
}

// createSampler(context, temperature, topK, topP, minP, seed): node-llama-cpp's chain for that config.
Napi::Value CreateSampler(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  llama_context* ctx = ContextOf(info[0]);
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
  // Results.
  llama_token token = -1;
  float tokenConfidence = 0;
  bool hasConfidence = false;
  std::vector<llama_token> probTokens;
  std::vector<float> values;
};

class StepWorker : public Napi::AsyncWorker {
 public:
  StepWorker(Napi::Env env, llama_context* ctx) : Napi::AsyncWorker(env, "PonderStep"), ctx_(ctx), deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  std::vector<int32_t> ops, tokens, positions, seqIds;
  std::vector<Job> jobs;
  std::vector<Napi::Reference<Napi::Value>> keep;

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
    const int32_t n = static_cast<int32_t>(tokens.size());
    llama_batch batch = llama_batch_init(n, 0, 1);
    for (int32_t i = 0; i < n; i++) {
      batch.token[i] = tokens[i];
      batch.pos[i] = positions[i];
      batch.n_seq_id[i] = 1;
      batch.seq_id[i][0] = seqIds[i];
      batch.logits[i] = 0;
    }
    for (const Job& job : jobs) batch.logits[job.batchIndex] = 1;
    batch.n_tokens = n;
    const int32_t status = llama_decode(ctx_, batch);
    llama_batch_free(batch);
    if (status != 0) return SetError("llama_decode failed with status " + std::to_string(status));
    const int32_t vocab = llama_vocab_n_tokens(llama_model_get_vocab(llama_get_model(ctx_)));
    std::vector<llama_token_data> candidates(vocab);
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
        Sample(job, logits, vocab, candidates);
      }
    }
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
      result[0u] = Napi::Number::New(env, job.token);
      result[1u] = job.hasConfidence ? Napi::Number::New(env, job.tokenConfidence) : env.Undefined();
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
    deferred_.Resolve(results);
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  // AddonContextSampleTokenWorker::SampleToken for an AddonSampler without grammar, penalties or
  // token bias: the chain over every token's logit, then (when asked) probabilities over the
  // candidates the chain left, sorted by logit, and the chosen token's probability.
  void Sample(Job& job, const float* logits, int32_t vocab, std::vector<llama_token_data>& candidates) {
    for (llama_token t = 0; t < vocab; t++) candidates[t] = llama_token_data{t, logits[t], 0.0f};
    llama_token_data_array cur{candidates.data(), static_cast<size_t>(vocab), -1, false};
    llama_sampler_apply(job.sampler, &cur);
    if (cur.size == 0 || cur.selected < 0 || cur.selected >= static_cast<int64_t>(cur.size)) {
      job.token = -1;
      return;
    }
    const llama_token chosen = cur.data[cur.selected].id;
    job.token = chosen;
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
      if (job.confidence) {
        job.tokenConfidence = job.values[cur.selected];
        job.hasConfidence = true;
      }
    } else {
      float maxLogit = cur.data[0].logit;
      for (size_t i = 0; i < cur.size; i++) maxLogit = std::max(maxLogit, cur.data[i].logit);
      float sum = 0.0f;
      for (size_t i = 0; i < cur.size; i++) sum += expf(cur.data[i].logit - maxLogit);
      job.tokenConfidence = expf(cur.data[cur.selected].logit - maxLogit) / sum;
      job.hasConfidence = true;
    }
  }

  llama_context* ctx_;
  Napi::Promise::Deferred deferred_;
};

std::vector<int32_t> Ints(const Napi::Value& value) {
  Napi::Int32Array array = value.As<Napi::Int32Array>();
  return std::vector<int32_t>(array.Data(), array.Data() + array.ElementLength());
}

// step(context, ops, tokens, positions, seqIds, jobs): KV-cache operations, one decode, its samplings
// and logits reads, on a worker thread. jobs[i] = [batchIndex, kind, sampler | filter, probabilities, confidence].
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
    } else if (job.kind == kLogitsFilter) {
      job.filter = Ints(spec.Get(2u));
    } else if (job.kind != kLogitsAll) {
      delete worker;
      throw Napi::RangeError::New(env, "unknown job kind");
    }
  }
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("contextHandle", Napi::Function::New(env, ContextHandle));
  exports.Set("createSampler", Napi::Function::New(env, CreateSampler));
  exports.Set("step", Napi::Function::New(env, Step));
  exports.Set("version", Napi::Number::New(env, 1));
  return exports;
}

}  // namespace

NODE_API_MODULE(ponder_native, Init)
