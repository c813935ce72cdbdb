"""The register: AI tools, SLT approvals and DPIA records. No HTTP in here."""
