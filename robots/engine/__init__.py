"""Running a job: `runner.run` takes a `RunConfig` and the portal's flows, and works the job's
records with N workers, each a browser context with a portal session of its own.

`flow.py` is the contract the flows implement (`Flow`, `LogIn`, `FlowContext`, `FlowResult`);
`page_status.py` tells a failed page from a panel, for the engine and the flows alike.
The engine never imports `flows` or a QA module: the composition root hands it the flows.
"""
