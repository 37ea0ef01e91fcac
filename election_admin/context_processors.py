"""Navigation for the page shell: which sections the signed-in role may open."""

from django.conf import settings

from .choices import BUREAU_ROLES


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "product_name": settings.PRODUCT_NAME,
        "nav": {
            "can_manage_staff": signed_in and user.role in BUREAU_ROLES,
            "can_browse_audit": signed_in and user.role in BUREAU_ROLES,
            "is_system_admin": signed_in and user.is_system_admin,
            "can_use_two_factor": signed_in and user.role in settings.TWO_FACTOR_ROLES,
        },
    }
