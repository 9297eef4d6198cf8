"""`field__any=ids`: a column equal to one of many integers, as one array parameter on
PostgreSQL (`col = ANY(%s::bigint[])`), not one placeholder per value as `__in` binds them. For
the long lists a customer builds (2.500 chosen variables): one parameter to send and parse, one
statement PostgreSQL can reuse whatever the list's length. Elsewhere it is `IN`.

Pass a set: Django walks lists and tuples value by value before a lookup sees them."""

from django.db.models import Field, Lookup


@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        # Integers only (ids): checked here, so the literal below is digits and commas.
        return sorted({int(value) for value in self.rhs})

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = self.rhs
        if connection.vendor == "postgresql":
            array = "{" + ",".join(map(str, values)) + "}"
            kind = self.lhs.output_field.cast_db_type(connection) or "bigint"
            return f"{lhs} = ANY(%s::{kind}[])", [*lhs_params, array]
        if not values:
            return "1 = 0", list(lhs_params)
        marks = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({marks})", [*lhs_params, *values]
