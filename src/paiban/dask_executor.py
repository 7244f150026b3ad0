"""The Dask executor: the same task function (``paiban.executor.run``) on a dask.distributed
cluster, for builds larger than one machine.

In: tasks (everything each target is made from, as bytes), a scheduler address
(``dask://HOST:PORT``). Out: the same ``Result`` objects as the local pool, as they finish.

The theme's files (tens of KB) go with every task: data scattered once would die with the
workers holding it, and cancel every task waiting on it.
Each task carries the coordinator's font and software fingerprint: a worker with other Noto CJK
files or another paiban or WeasyPrint fails the target with one line naming the difference
(its PDFs would differ). A worker lost mid-task is the scheduler's to retry (its
``distributed.scheduler.allowed-failures``); a task the scheduler gives up on is reported as a
failed target like any other, and the rest of the build goes on. Workers never write files:
results come back to the coordinator, which writes them and records the cache.
"""

from __future__ import annotations

from dataclasses import replace

from paiban.errors import PaibanError
from paiban.executor import Result, Task, run

_WARM: set[tuple[str, ...]] = set()


def address(executor: str) -> str:
    """``dask://HOST:PORT`` -> the scheduler's ``tcp://HOST:PORT``."""
    return "tcp://" + executor.removeprefix("dask://")


def task_name(task: Task, run_id: str = "") -> str:
    """The task's name on the cluster (its dashboard shows it): target and key."""
    t = task.target
    return f"paiban-{t.text.stem}-{t.edition}-{t.layout}-{task.key[:16]}{run_id}"


def run_on_worker(task: Task, theme) -> Result:
    """A Dask task: ``run`` with the scattered theme put back (warming the worker once)."""
    tags = (task.target.edition,)
    if tags not in _WARM:
        _WARM.add(tags)
        try:
            from paiban import editions
            from paiban.render.pdf import _weasyprint

            _weasyprint()
            editions.warm(tags)
        except PaibanError:  # reported by the task, in one line
            pass
    return run(task if theme is None else replace(task, theme=theme))


def run_dask(tasks: list[Task], executor: str, progress, timeout: float = 10.0) -> list[Result]:
    """Run ``tasks`` on the scheduler at ``executor``; ``progress(result)`` as each finishes."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise PaibanError("the Dask executor needs the dask extra: pip install 'paiban[dask]'",
                          path=executor) from None
    try:
        client = Client(address(executor), timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise PaibanError(f"cannot reach the Dask scheduler: {exc}", path=executor) from None
    results: list[Result] = []
    try:
        # Keys of this build's own: a key another build used a moment ago may still be being
        # forgotten by the scheduler, which would cancel its new holders.
        import uuid

        run_id = "-" + uuid.uuid4().hex[:8]
        # The theme (tens of KB) goes with each task rather than scattered: scattered data
        # dies with the workers holding it, and every task waiting on it would be cancelled.
        futures = {}
        for task in tasks:
            future = client.submit(run_on_worker, task, None,
                                   key=task_name(task, run_id), pure=False)
            futures[future] = task
        for future in as_completed(futures, loop=client.loop):
            task = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker (lost twice), cancelled…
                result = Result(task.target, task.key,
                                error=f"{task.target.text}: failed on the Dask cluster: "
                                      f"{type(exc).__name__}: {exc}")
            results.append(result)
            progress(result)
            future.release()
    finally:
        client.close()
    return results
