// Optional check-in on the follow-up form: asks the browser for the position (the user grants or refuses
// the permission) and fills the hidden latitude/longitude fields. Nothing is sent until the form is saved.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-checkin]");
  if (!box) return;
  const button = box.querySelector("[data-checkin-button]");
  const status = box.querySelector("[data-checkin-status]");
  const latitude = document.getElementById("id_checkin_latitude");
  const longitude = document.getElementById("id_checkin_longitude");
  const say = (name) => { status.textContent = box.querySelector(`[data-checkin-text-${name}]`).textContent; };
  if (!("geolocation" in navigator)) {
    button.disabled = true;
    say("denied");
    return;
  }
  button.addEventListener("click", () => {
    say("wait");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        say("ok");
      },
      () => {
        latitude.value = "";
        longitude.value = "";
        say("denied");
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
    );
  });
});
