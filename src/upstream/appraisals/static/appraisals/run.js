// Follows a running appraisal without reloading the page (progressive enhancement: without
// JavaScript the page has a "Check again now" link). Asks the page's JSON twin every 2 seconds,
// updates the stage and progress in the page's status region, and when the run has finished
// offers the link to the report; it never moves the page on its own (a page that refreshes or
// jumps by itself disrupts people using screen readers: WCAG 2.2.1, and axe-core's meta-refresh rule).
const region = document.querySelector("[data-appraisal-run]");

if (region) {
  const address = region.getAttribute("data-appraisal-run");
  const stage = region.querySelector("[data-stage]");
  const bar = region.querySelector("progress");
  const label = region.querySelector("[data-progress]");
  const done = document.querySelector("[data-finished]");
  const manual = document.querySelector("[data-check-again]");

  const follow = async () => {
    let run;
    try {
      const response = await fetch(address, { credentials: "same-origin" });
      run = await response.json();
    } catch {
      setTimeout(follow, 5000); // the link still works; try again a little later
      return;
    }
    if (run.status === "done" || run.status === "failed" || run.stalled) {
      stage.textContent = run.status === "done" ? "Finished" : "Stopped";
      bar.value = run.status === "done" ? 100 : run.progress;
      label.textContent = run.status === "done" ? "100% done" : "The appraisal stopped";
      done.hidden = false;
      if (manual) manual.hidden = true;
      return;
    }
    stage.textContent = run.stage;
    bar.value = run.progress;
    label.textContent = `${run.progress}% done`;
    setTimeout(follow, 2000);
  };
  setTimeout(follow, 2000);
}
