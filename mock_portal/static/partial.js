/* The ajax release's in-place updates, the way a JSF/RichFaces page makes them
   (mock_portal/partial.py has the server's side).

   A form or link marked data-partial is sent as the same POST or GET with fetch, plus the
   header "Faces-Request: partial/ajax" and, in "Faces-Partial-Render", the id of the region
   shown (the element marked data-faces-region). The answer is a JSF partial response:
   <update id="..."> replaces that element with the new markup; <redirect url="..."/> loads
   that page. Until the answer comes the page stays as it was (only the clicked button is
   disabled); a 5xx answer or a failed request leaves it as it was, as RichFaces does. */
(function () {
  "use strict";

  var REGION = "[data-faces-region]";
  // One request at a time, as JSF queues them: the region named is the one shown when the
  // request leaves.
  var queue = Promise.resolve();

  function send(url, init, button) {
    if (button) button.disabled = true;
    queue = queue.then(function () {
      var region = document.querySelector(REGION);
      init.headers = {"Faces-Request": "partial/ajax",
                      "Faces-Partial-Render": region ? region.id : ""};
      init.credentials = "same-origin";
      init.cache = "no-store";
      return fetch(url, init)
        .then(function (response) {
          return response.text().then(function (text) { apply(response.status, text); });
        })
        .catch(function (error) { console.error("POSC: the request failed:", error); })
        .then(function () { if (button) button.disabled = false; });
    });
  }

  function apply(status, text) {
    if (status >= 500) {
      console.error("POSC: the portal answered HTTP " + status + "; the page is left as it was");
      return;
    }
    var root = new DOMParser().parseFromString(text, "text/xml").documentElement;
    if (!root || root.nodeName !== "partial-response") {
      console.error("POSC: the answer (HTTP " + status + ") is not a partial response");
      return;
    }
    var redirect = root.querySelector("redirect");
    if (redirect) {
      window.location = redirect.getAttribute("url");
      return;
    }
    root.querySelectorAll("changes > update").forEach(function (update) {
      var shown = document.getElementById(update.getAttribute("id"));
      if (!shown) {
        console.error("POSC: no element " + update.getAttribute("id") + " to update");
        return;
      }
      var markup = document.createElement("template");
      markup.innerHTML = update.textContent;
      shown.replaceWith(markup.content);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-partial")) return;
    event.preventDefault();
    var button = event.submitter || null;
    var fields = new URLSearchParams(new FormData(form, button));  // before the button is disabled
    // Not form.action: the portal's buttons are named "action", which shadows it.
    send(new URL(form.getAttribute("action"), document.baseURI).href,
         {method: "POST", body: fields}, button);
  });

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey ||
        event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest("a[data-partial]") : null;
    if (!link) return;
    event.preventDefault();
    send(link.href, {method: "GET"}, null);
  });
}());
