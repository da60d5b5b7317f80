"""A corpus of hostile input: what people (or scripts) might type or put in a link."""

from __future__ import annotations

BASE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '"><script>alert(document.cookie)</script>',
    '<a href="javascript:alert(1)">click</a>',
    "<style>body{display:none}</style>",
    "[click me](javascript:alert(1))",
    "[link](http://evil.example/)",
    "![image](http://evil.example/x.png)",
    "**bold** _italic_ `code` # heading",
    "> quote\n- list\n1. item",
    ":red[coloured] :material/home:",
    "$$x^2$$ $math$",
    "'; DROP TABLE needs; --",
    "1 OR 1=1",
    "Robert'); DELETE FROM dots; --",
    '" UNION SELECT facilitator_key_hash FROM workshops --',
    "\x00NUL at start",
    "bell\x07 and escape\x1b[31m red",
    "tab\tseparated\tvalues",
    "line\r\nbreaks\rold mac",
    "\u202eright-to-left override",
    "\u2066isolate\u2069 text",
    "zero\u200bwidth\u200cjoiner\u200d",
    "\ufeffbyte order mark",
    "combining a\u0301\u0301\u0301\u0301\u0301 marks",
    "Z\u0351\u0352\u0357\u0350a\u0351\u0352l\u0357g\u0350o",
    "emoji 👩‍👩‍👧‍👦 🏳️‍🌈 ❤️",
    "Ääkköset ja åäö — ÅÄÖ",
    "中文 テキスト 한국어",
    "مرحبا بالعالم",
    "{{7*7}} ${7*7} #{7*7}",
    "%00%0d%0a%3Cscript%3E",
    "../../../etc/passwd",
    "C:\\Windows\\System32",
    "null",
    "None",
    "undefined",
    "NaN",
    "-1",
    "0",
    "99999999999999999999",
]
WHITESPACE = ["", " ", "   ", "\n\n\n", "\t", "\u00a0\u2003", "\x00\x01\x02"]
LONG = ["a" * 501, "ä" * 600, "word " * 200, "x" * 1_000_000]


def corpus() -> list[str]:
    """At least 200 hostile strings: the base set, each also wrapped in ordinary words,
    repeated, padded and on two lines, plus whitespace-only and over-long ones."""
    wrapped = [f"Our team needs {b} to learn" for b in BASE]
    doubled = [b * 2 for b in BASE]
    spaced = [f"  {b}  " for b in BASE]
    lines = [f"{b}\n{b}" for b in BASE]
    values = BASE + wrapped + doubled + spaced + lines + WHITESPACE + LONG
    assert len(values) >= 200
    return values
