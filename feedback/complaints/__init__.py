"""Complaints and suggestions (pengaduan): filed by anyone, answered and closed by PST staff."""
