"""Request rates per visitor (by address) and per signed-in user, from INTEL_API_THROTTLE.

DRF reads its own rate setting once at import; these read ours on every request, so a
deployment (or a test) can change them. A rate of None means no limit.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.INTEL_API_THROTTLE.get("anon")


class UserThrottle(UserRateThrottle):
    def get_rate(self):
        return settings.INTEL_API_THROTTLE.get("user")
