// Runs in <head> before the first paint (the one script that is not deferred; public/js/app.js does the
// rest). It only marks the page as scripted, so that CSS may fold the phone menu behind its button, and
// applies the row density the user chose on an earlier page, so that tables do not jump once drawn.
document.documentElement.classList.add('js');
try {
  if (window.localStorage.getItem('sis-density') === 'compact') {
    document.documentElement.setAttribute('data-density', 'compact');
  }
} catch {
  // Storage blocked (a privacy setting): the default density it is.
}
