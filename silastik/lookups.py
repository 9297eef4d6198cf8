"""`field__any=[…]`: a column equal to one of many values, as one array parameter on
PostgreSQL (`col = ANY(%s)`), not one placeholder per value as `__in` binds them. For the
long lists a customer builds (2.500 chosen variables): one parameter to send and parse, and a
statement PostgreSQL can prepare and reuse whatever the list's length. Elsewhere it is `IN`."""

from django.db.models import Field, Lookup


@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [self.lhs.output_field.get_prep_value(v) for v in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if not values:
            return "1 = 0", list(lhs_params)
        marks = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({marks})", [*lhs_params, *values]
