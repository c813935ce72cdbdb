"""The school's roster (pupils, staff, parents/carers) imported from the MIS, for name redaction."""
