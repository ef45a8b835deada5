"""Django's JSON Lines serialisation, with times to the microsecond (a backup's format, intel/backup.py).

Django's JSON encoder cuts times to the millisecond (the ECMAScript format), so a restored
revision would not be the revision saved: ``2026-11-29T10:00:00.123456`` came back
``…00.123``. This encoder writes them whole; Django's own reader reads them back.
"""

import datetime

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = jsonl.Deserializer
