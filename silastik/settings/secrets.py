"""Keys written in this repository (defaults for a developer's machine and for compose). They
are public: production refuses every one of them as its secret key or callback secret, so that
no installation runs on a key anyone can read on the internet."""

PUBLISHED_SECRETS = frozenset(
    {
        # silastik/settings/base.py: the local default.
        "django-insecure-local-development-key-not-for-production",
        # docker-compose.yml's fallback of earlier releases.
        "compose-only-secret-change-me-compose-only-secret-change-me",
        # silastik/settings/test.py.
        "test-secret-key-test-secret-key-test-secret-key-0123456789",
    }
)
