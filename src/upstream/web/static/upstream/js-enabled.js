// GOV.UK Frontend styles some components differently when JavaScript runs; this sets the
// classes it looks for. A file, not an inline script, so the Content-Security-Policy stays strict.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
