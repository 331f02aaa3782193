"""Two-factor sign-in for tests: an authenticator app that the test itself plays.

- ``app_device(user)``: the user's confirmed TOTP device, made if they have none.
- ``current_code(device)``: the code the app would show now (as a person's phone would),
  made usable even if the same code was just used by an earlier sign-in of the test.
- ``verified_login(client, user)``: ``force_login`` plus the session mark that django-otp
  sets after a right code (what the admin asks for).
- ``sign_in_through_the_form(client, username)``: the real sign-in form with the Django
  test client, and its code step for whoever needs one.
"""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

# The password of every user made by citkit.testing.factories.UserFactory.
PASSWORD = "correct horse battery"  # noqa: S105 (test users only)


def app_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
    return device


def code_at(device: TOTPDevice, steps: int = 0) -> str:
    """The code the app shows `steps` time steps (30 s) from now, zero-padded."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps)
    return f"{value:0{device.digits}d}"


def current_code(device: TOTPDevice) -> str:
    """The code the app shows now. A code works once (django-otp remembers the last time
    step used); a test that signs the same person in twice within 30 seconds would meet
    that, so the device forgets the step here, as if the person had waited for the next."""
    device.refresh_from_db()
    now_step = (int(time.time()) - device.t0) // device.step + device.drift
    if device.last_t >= now_step - 1:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=now_step - 2)
        device.refresh_from_db()
    return code_at(device)


def verified_login(client, user):
    """Sign the test client in as `user` with the session verified by a second factor."""
    device = app_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def sign_in_through_the_form(client, username: str, password: str = PASSWORD):
    """Sign in through the real sign-in form, and its code step for whoever needs one
    (giving them an app first if they have none). Returns the last response."""
    from django.contrib.auth import get_user_model

    from citkit.core import mfa

    user = get_user_model().objects.filter(username=username).first()
    device = app_device(user) if user is not None and mfa.code_needed(user) else None
    response = client.post("/accounts/login/", {"username": username, "password": password})
    if device is not None and response.get("Location") == "/accounts/login/code/":
        response = client.post("/accounts/login/code/", {"code": current_code(device)})
    return response
