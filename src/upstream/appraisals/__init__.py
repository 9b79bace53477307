"""Appraisal in the web app: the what-works and unit-cost libraries, business cases built,
saved, uploaded and compared in the browser, appraised in the background, and the reports read
inside the service. The sums are the pure core's (`upstream.economics`); this app only keeps
case files, runs them and shows what they give (docs/appraisals.md)."""
