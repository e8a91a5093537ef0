import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractAnswer } from "./extract-answer.js";
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
