// How many CSS pixels a page is wider than its window: more than 0 means it scrolls sideways
// (read by tests/e2e/test_accessibility.py).
() => document.documentElement.scrollWidth - document.documentElement.clientWidth
