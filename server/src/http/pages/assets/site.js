// Progressive enhancement only: every page works without this file.
// A form is sent once: on a slow connection a second press would send it again.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
  var buttons = form.querySelectorAll("button[type=submit], button:not([type])");
  for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-disabled", "true");
});
// Going back to a page restores it from the cache: let its forms be sent again.
window.addEventListener("pageshow", function () {
  var forms = document.querySelectorAll("form[data-sent]");
  for (var i = 0; i < forms.length; i++) delete forms[i].dataset.sent;
});
