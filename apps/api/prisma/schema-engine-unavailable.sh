#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded
# on every machine. `prisma generate`, `validate` and `format` only check
# that the file exists. Any command that really runs it (`prisma migrate`,
# `prisma db push`) fails here instead of silently doing nothing.
echo "The native Prisma schema engine is not installed." >&2
echo "Apply migrations with 'npm run db:migrate' and create one with" >&2
echo "'npm run db:migration:create -- <name>' (see README.md)." >&2
exit 1
