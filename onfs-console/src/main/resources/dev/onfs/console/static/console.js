// The console's only script, loaded from this origin (the CSP allows no inline script).
// Filters apply as soon as a choice changes; without script the Search/Show button does the same.
document.addEventListener('change', function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.classList.contains('autosubmit') && target.form) {
    target.form.requestSubmit();
  }
});
// After a refused form, focus the field the error names so keyboard users land on it.
document.addEventListener('DOMContentLoaded', function () {
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
  }
});
