// Demo mode's approval page of the Device Authorization Grant (a file of its own: the
// Content-Security-Policy allows no inline script).
document.addEventListener("DOMContentLoaded", async () => {
  const { i18n } = window.Beeldzorg;
  const $ = (id) => document.getElementById(id);
  i18n.apply();
  $("language").value = i18n.language;
  $("language").onchange = (e) => i18n.use(e.target.value);
  $("user-code").value = new URLSearchParams(location.search).get("user_code") || "";
  const users = await fetch("/demo/users").then((r) => r.json());
  users.forEach((u) => {
    const option = document.createElement("option");
    option.value = u.username;
    option.textContent = u.name + " (" + u.username + ")";
    $("demo-user").appendChild(option);
  });
  async function decide(path, body) {
    const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (response.ok) {
      i18n.set($("result"), path.endsWith("approve") ? "device.approve.done" : "device.approve.denied");
      $("approval").hidden = true;
    } else {
      const problem = await response.json().catch(() => ({}));
      i18n.set($("result"), "problem." + (problem.code || "request.invalid"));
    }
  }
  $("approval").onsubmit = (e) => { e.preventDefault(); decide("/demo/device/approve", { userCode: $("user-code").value, username: $("demo-user").value }); };
  $("deny").onclick = () => decide("/demo/device/deny", { userCode: $("user-code").value });
});
