// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Filter selects apply at once; the Filter button stays for keyboards and for no-JS.
  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () {
      if (select.form.requestSubmit) {
        select.form.requestSubmit();
      } else {
        select.form.submit();
      }
    });
  });
  // "/" focuses the search box, as on many sites, unless the user is typing somewhere.
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var search = document.getElementById('nav-search');
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    }
  });
}());
