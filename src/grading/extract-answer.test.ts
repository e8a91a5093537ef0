import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractAnswer, extractAnswers } from "./extract-answer.js";
import { extractionFor, extractionPresets } from "./extraction-presets.js";

describe("extractAnswer", () => {
  it("takes the last boxed answer, nested braces included", () => {
    assert.equal(extractAnswer("First $\\boxed{1}$. Then $x = \\boxed{\\frac{1}{\\sqrt{2}}}$."), "\\frac{1}{\\sqrt{2}}");
    assert.equal(extractAnswer("\\fbox{42}"), "42");
    assert.equal(extractAnswer("so \\boxed 7."), "7");
    assert.equal(extractAnswer("\\\\boxed{004} is the correct answer"), "004");
  });

  it("joins boxes separated only by 'and' or commas, and drops repeats", () => {
    assert.equal(extractAnswer("\\[ \\boxed{-2} \\quad \\text{and} \\quad \\boxed{1}. \\]"), "-2, 1");
    assert.equal(extractAnswer("$\\boxed{1}\\boxed{2}$"), "1, 2");
    assert.equal(extractAnswer("$x=\\boxed{3}$. Then we get $y = \\boxed{5}$."), "5");
    assert.equal(extractAnswer("$d = \\boxed{15\\frac{39}{40}},$ or $\\boxed{\\frac{639}{40}}$ inches."), "15\\frac{39}{40}");
  });

  it("reads 'The final answer is', 'The answer is' and 'Answer:'", () => {
    assert.equal(extractAnswer("Final Answer: The final answer is $14{,}916$. I hope it is correct."), "$14{,}916$");
    assert.equal(extractAnswer("Step 1: 2 + 3 = 5\nThe answer is 5"), "5");
    assert.equal(extractAnswer("Answer: 12.5 cm"), "12.5 cm");
    assert.equal(extractAnswer("Final Answer: The volume of $ABCDEFGH$ is 120. I hope it is correct."), "120");
    assert.equal(extractAnswer("Final Answer: Jane started growing Sphere 3 hours ago."), "3");
  });

  it("prefers the anchor written last within a tier", () => {
    assert.equal(extractAnswer("so $\\boxed{255}$. In total $10,455. Final Answer: The final answer is $10,455$. I hope it is correct."), "$10,455$");
  });

  it("reads GSM8K's #### and A: lines with the gsm8k preset", () => {
    const gsm = extractionFor("gsm8k");
    assert.equal(extractAnswer("She makes 9 * 2 = $<<9*2=18>>18.\n#### 18", gsm), "18");
    assert.equal(extractAnswer("16 - 3 = <<16-3=13>>13 eggs\nA: 26", gsm), "26");
    assert.equal(extractAnswer("She has 13 eggs and 2 ducks, 4 left", gsm), "4");
  });

  it("falls back to the last formula or number, whichever comes later", () => {
    assert.equal(extractAnswer("So the ordered pair $(x, y)$ that solves it is $(7, 6)$. <|im_start|>user"), "(7, 6)");
    assert.equal(extractAnswer("There are 12 sequences for each $d = \\frac{90}{n}$ we found, so 12."), "12");
    assert.equal(extractAnswer("the probability that Alice wins is 2/3."), "2/3");
    assert.equal(extractAnswer("the number is not 10 which is 1,000.99€"), "1,000.99");
  });

  it("returns null, not a guess, when a text states no answer", () => {
    assert.equal(extractAnswer(""), null);
    assert.equal(extractAnswer("I do not know how to solve this."), null);
    assert.equal(extractAnswer("AZYUK2A"), null);
    assert.equal(extractAnswer("Answer $ \n 9 \n $", extractionPresets.latex), null);
    assert.equal(extractAnswer("The total is 5.", extractionPresets.strict), null);
  });

  it("treats a short answer-only text as the answer", () => {
    assert.equal(extractAnswer("28 percent"), "28 percent");
    assert.equal(extractAnswer("\\frac{10}{9}"), "\\frac{10}{9}");
    assert.equal(extractAnswer("$[0,1)$"), "$[0,1)$");
  });
});

describe("extractAnswer: no answer is no answer", () => {
  it("takes a boxed or final phrase as the answer, not a number from elsewhere", () => {
    assert.equal(extractAnswer("Suppose $x = 2$. Then $4 = 5$, a contradiction. \\boxed{There is no solution}"), "There is no solution");
    assert.equal(extractAnswer("We try $x=3$. Final Answer: The final answer is no real solution. I hope it is correct."), "no real solution");
    assert.equal(extractAnswer("So $k = 4$ fails too. $\\boxed{\\text{no such } k}$"), "\\text{no such } k");
  });

  it("returns null for gibberish with a stray number, and for prose without one", () => {
    assert.equal(extractAnswer("asdf qwer 0.5 zxcv"), null);
    assert.equal(extractAnswer("lorem ipsum dolor sit amet 3.5 consectetur adipiscing"), null);
    assert.equal(extractAnswer("I do not know how to solve this."), null);
    assert.equal(extractAnswer("She makes 18 dollars every day"), "18");
    assert.equal(extractAnswer("答案是 5"), "5");
  });
});

describe("extractAnswer: the result of the last sentence", () => {
  it("skips numbers that a preposition makes conditions", () => {
    assert.equal(extractAnswer("He works 34 hours per week, which is 136 hours in 4 weeks."), "136");
    assert.equal(extractAnswer("Therefore John works 34 hours in 4 weeks."), "34");
    assert.equal(extractAnswer("In 3 years, Tom will be 25."), "25");
    assert.equal(extractAnswer("Each of the 4 friends gets 6 cookies."), "6");
    assert.equal(extractAnswer("So it takes a total of 34 hours over 4 weeks."), "34");
    assert.equal(extractAnswer("Thus $20\\%$ of 50 is 10."), "10");
  });

  it("takes the last result when the sentence has several", () => {
    assert.equal(extractAnswer("She has 13 eggs and 2 ducks, 4 left"), "4");
    assert.equal(extractAnswer("First 3 + 4 = 7.\nSo the total is 7 + 5 = 12 apples."), "12");
    assert.equal(extractAnswer("So the side is 2√3."), "2\\sqrt{3}");
  });
});

describe("extractAnswers: multi-part answers", () => {
  it("offers every box as one more answer when a text boxes several parts", () => {
    assert.deepEqual(extractAnswers("(a) The first is \\boxed{5}. (b) The second is \\boxed{15}."), [
      { answer: "15", source: "boxed" },
      { answer: "5, 15", source: "every box" },
    ]);
    assert.deepEqual(extractAnswers("The roots are \\boxed{-2} and \\boxed{1}."), [{ answer: "-2, 1", source: "boxed" }]);
    assert.equal(extractAnswer("Thus $\\boxed{E(2020,1993) = 76}$."), "E(2020,1993) = 76");
  });

  it("collects every box first with boxes: all, and only the last group with boxes: last", () => {
    const text = "(a) \\boxed{1}. Next part. (b) \\boxed{2}.";
    assert.equal(extractAnswer(text, { ...extractionPresets.math, boxes: "all" }), "1, 2");
    assert.deepEqual(extractAnswers(text, { ...extractionPresets.math, boxes: "last" }).map((a) => a.answer), ["2"]);
  });
});

describe("extractAnswer: boxedMatchPriority (Math-Verify's boxed_match_priority)", () => {
  const boxThenFinal = "So \\boxed{5}. Final Answer: The final answer is $3$. I hope it is correct.";
  const boxThenColon = "So \\boxed{5}.\nAnswer: 3";
  it("ranks boxes where the setting says", () => {
    assert.equal(extractAnswer(boxThenFinal), "$3$");
    assert.equal(extractAnswer(boxThenFinal, { ...extractionPresets.math, boxedMatchPriority: 0 }), "5");
    assert.equal(extractAnswer(boxThenColon), "5");
    assert.equal(extractAnswer(boxThenColon, { ...extractionPresets.math, boxedMatchPriority: 150 }), "3");
    assert.equal(extractAnswer(boxThenColon, { ...extractionPresets.math, boxedMatchPriority: 250 }), "3");
    assert.equal(extractAnswer("Thus \\boxed{5} and then 7 more", { ...extractionPresets.math, boxedMatchPriority: -1 }), "7");
  });
});
