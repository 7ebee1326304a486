"""`python -m policyqa …` is the `policyqa` command."""
import sys

from policyqa.cli import main

sys.exit(main())
