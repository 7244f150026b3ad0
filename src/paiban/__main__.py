import sys

from paiban.cli import main

sys.exit(main())
