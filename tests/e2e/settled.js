// Whether a Streamlit page has settled: its script has finished running, no element is
// marked stale (about to be replaced), and no transition or fade-in is still under way
// (endless animations, such as a spinner, do not count). Read by tests/e2e/people.py.
() => {
  const app = document.querySelector("[data-testid=stApp]");
  const state = app ? app.getAttribute("data-test-script-state") : "initial";
  if (state !== "notRunning") return false;
  if (document.querySelector("[data-stale='true']")) return false;
  return !document
    .getAnimations()
    .some((a) => a.playState === "running" && a.effect && a.effect.getTiming().iterations !== Infinity);
}
