// Help center: "start a chat" links open the chat widget in place when it is on the page;
// without the widget (or without JavaScript) they are ordinary links to the chat page.
document.addEventListener('click', function (event) {
  var link = event.target instanceof Element ? event.target.closest('[data-open-chat]') : null;
  var widget = window.SupportDesk;
  if (!link || !widget || typeof widget.open !== 'function') return;
  event.preventDefault();
  widget.open();
});
