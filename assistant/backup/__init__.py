"""Backups of a home: one consistent archive of the vault, the operational records and the
settings (never a secret), optionally encrypted with a passphrase, kept with a retention
policy, copied to S3-compatible storage when configured, and restored with a check.

Modules: ``settings`` (the ``[backup]`` section), ``manifest`` (what an archive holds),
``crypto`` (the encrypted stream format), ``snapshot`` (a consistent copy of a live home),
``archive`` (writing, reading and verifying archives), ``create``, ``restore``,
``retention``, ``remote`` (S3) and ``schedule`` (the daily backup ``serve`` runs).
"""
