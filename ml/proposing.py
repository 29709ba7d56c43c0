"""Does a comment propose something? A few phrasing rules, no model.

Comments mostly agree, complain, ask for news or share a workaround; some propose a
change ("Could we have an FAQ on this?", "A sticker on every printer would help",
"It would be great to swap kit at reception"). Those join the clustering as
suggestions beside the ideas. A sentence proposes when it

- asks with a modal: "could we / can we / could the security team ...";
- says what would help: "<something> would help / make / save / be nice", unless its
  subject is the idea itself ("This would save us hours" is support, not a proposal);
- wishes: "it would be great/good/nice/useful/better if/to ...", "I suggest",
  "why not", "how about", "maybe we/combine/add ...", "... should get/have/be ...";
- asks politely for a change: "please add/make/check/talk/consider ...", or ends
  in ", please." after a noun phrase;

and has at least `MIN_WORDS` words. Measured on 80 hand-labelled demo comments
(tests/ml/test_proposing.py): precision 0.83, recall 0.79.
"""

from __future__ import annotations

import re

MIN_WORDS = 4

_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_RULES = [re.compile(rule, re.IGNORECASE) for rule in (
    r"\b(could|can|should|shall) (we|you|they|it|this|there|it|the \w+( \w+)?|IT) "
    r"(have|get|be|add|make|provide|explain|offer|trial|set|put|move|open|use|show)\w*\b",
    r"^(?!(this|it|that|which)\b)[\w ,:'’-]+ (would|might|could) (already |really |also )?"
    r"(help|make|save|catch|fix|be (nice|great|good|useful|helpful|better|a big))",
    r"\bit would be (great|good|nice|useful|helpful|better) (if|to) (?!get an update)",
    r"\b(i|we) (suggest|propose|recommend)\b",
    r"\b(why not|how about|what about) \w+",
    r"\bmaybe (we|combine|add|use|move|have|try)\b",
    r"\b(should|must) (get|have|be able|offer|provide|include)\b",
    r"\bplease (add|make (the|it|sure)|check|consider|allow|provide|talk|give|include)\b",
    r"^(?!please\b)[\w ,'’-]+, please\.?$",
    r"\b(seems like|is) the obvious (answer|fix|solution)\b",
)]


def proposing_sentence(text: str) -> str | None:
    """The first sentence of `text` that proposes something, or None."""
    for sentence in _SENTENCES.split(text.strip()):
        if len(sentence.split()) >= MIN_WORDS and any(r.search(sentence) for r in _RULES):
            return sentence
    return None


def proposes(text: str) -> bool:
    return proposing_sentence(text) is not None
