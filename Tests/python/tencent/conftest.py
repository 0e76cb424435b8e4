"""The Tencent SDK checks run only when scripts/test.d/21-tencent-sdk.sh started tencent-sim (TENCENT_SIM_PORTS set);
20-bce-sdk.sh, which collects all of Tests/python, then skips this folder without a trace."""
import os

collect_ignore_glob = [] if os.environ.get("TENCENT_SIM_PORTS") else ["test_*.py"]
