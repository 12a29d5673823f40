"""The zone workspace: database, migrations, stored versions, accounts, access and the audit log."""
