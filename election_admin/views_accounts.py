"""Sign-in, sign-out and password change."""

import base64
import io

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .forms import LoginForm, TwoFactorTokenForm
from .services import two_factor
from .services.staff import password_change


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if getattr(form, "otp_device", None) is not None:
            django_otp.login(self.request, form.otp_device)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Sent here from a page: either the session expired or the user never signed in.
        context["came_from_page"] = bool(self.request.GET.get(self.redirect_field_name))
        return context


@login_required
def password_change_view(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    return render(request, "registration/password_change.html", {"form": form})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
def two_factor_view(request):
    """动态口令 — turn two-factor sign-in on (scan, confirm a code) or off (confirm a code)."""
    user = request.user
    if not two_factor.two_factor_available(user):
        raise PermissionDenied(_("Two-factor sign-in is offered to county bureaus and above."))
    enabled = two_factor.two_factor_enabled(user)
    form = TwoFactorTokenForm(request.POST or None)
    device = None
    if not enabled:
        device_id = request.session.get("pending_totp_device")
        device = user.totpdevice_set.filter(pk=device_id, confirmed=False).first() if device_id else None
        if device is None or request.GET.get("restart"):
            device = two_factor.two_factor_pending_device(user=user)
            request.session["pending_totp_device"] = device.pk
    if request.method == "POST" and form.is_valid():
        try:
            if enabled:
                two_factor.two_factor_disable(user=user, token=form.cleaned_data["token"])
                messages.success(request, _("Two-factor sign-in is off."))
            else:
                two_factor.two_factor_confirm(user=user, device=device, token=form.cleaned_data["token"])
                request.session.pop("pending_totp_device", None)
                django_otp.login(request, device)
                messages.success(
                    request, _("Two-factor sign-in is on. From now on enter the app's code when you sign in.")
                )
        except ValidationError as error:
            form.add_error("token", error.message_dict.get("token", error.messages))
        else:
            return redirect("two_factor")
    context = {"enabled": enabled, "form": form}
    if device is not None:
        context["qr_svg"] = mark_safe(_qr_svg(device.config_url))  # noqa: S308 - SVG we generated ourselves
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/two_factor.html", context)
