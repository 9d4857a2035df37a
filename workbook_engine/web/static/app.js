// workbook-engine serve: a dropped file is checked at once; the run's progress is followed while it runs.
(function () {
  "use strict";
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var form = document.getElementById("check-form");
  if (drop && input && form) {
    var send = function () {  // a file over the limit is not sent at all: the page says why at once
      var note = document.getElementById("too-large");
      if (input.files[0].size > Number(form.dataset.limit)) {
        note.textContent = form.dataset.tooLarge;
        note.hidden = false;
        return;
      }
      form.submit();
    };
    input.addEventListener("change", function () { if (input.files.length) { send(); } });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      drop.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        send();
      }
    });
  }
  var run = document.getElementById("run");
  if (run && (run.dataset.state === "running" || run.dataset.state === "waiting")) {
    var bar = document.getElementById("run-progress");
    var text = document.getElementById("run-state");
    var poll = function () {
      fetch(run.dataset.status, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
        if (s.state === "running" || s.state === "waiting") {
          bar.max = s.total || 1;
          bar.value = s.done || 0;
          text.textContent = s.state === "waiting" ? run.dataset.waiting
            : run.dataset.running + " " + (s.done || 0) + "/" + (s.total || "…");
          setTimeout(poll, 700);
        } else {
          window.location.reload();
        }
      }).catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 500);
  }
}());
