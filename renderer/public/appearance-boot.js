// Runs in <head>, before the page is drawn: puts the theme last chosen on <html>, so a dark choice
// never shows a light page first. A classic script file, as the pages' policy allows no inline one.
// The settings themselves arrive a moment later and are applied again (renderer/src/appearance.ts).
(function () {
  var theme = 'system';
  try {
    var saved = JSON.parse(window.localStorage.getItem('warbler.appearance') || '{}');
    if (saved && (saved.theme === 'light' || saved.theme === 'dark')) theme = saved.theme;
  } catch {
    // No storage or a damaged copy: the system's colours, as before anything was chosen.
  }
  document.documentElement.setAttribute('data-theme', theme);
})();
