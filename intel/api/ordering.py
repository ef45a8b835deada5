from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` that names the fields it accepts instead of silently ignoring the others."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            allowed = sorted(name for name, _ in self.get_valid_fields(queryset, view, {"request": request}))
            wanted = [term.strip() for term in params.split(",") if term.strip()]
            unknown = [term for term in wanted if term.lstrip("-") not in allowed]
            if unknown:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Sort by {', '.join(allowed)} (a leading - for descending); not by “{unknown[0][:50]}”."
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = [name for name in getattr(view, "ordering_fields", []) if isinstance(name, str)]
        for parameter in parameters:
            if parameter["name"] == self.ordering_param and fields:
                parameter["description"] = (
                    f"Sort by one of {', '.join(fields)}; a leading - sorts descending. Several, comma-separated."
                )
        return parameters
