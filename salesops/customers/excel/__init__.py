"""Customer sheets (R26): the import (read, check, load) and the export, with their API and pages."""
