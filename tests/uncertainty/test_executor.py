"""One executor interface: serial, local processes and Dask give the same results, bit for bit."""

from __future__ import annotations

import math
import operator
from functools import partial

import numpy as np
import pytest

from ceasefire.executor import (
    DaskExecutor,
    ProcessExecutor,
    SerialExecutor,
    dask_available,
    make_executor,
)
from ceasefire.uncertainty.inputs import input_space
from ceasefire.uncertainty.robustness import robustness
from tests.strategies import random_scenario, toy

needs_dask = pytest.mark.skipif(not dask_available(), reason="dask.distributed is not installed")


def test_serial_map_keeps_order_and_reports_progress() -> None:
    ticks: list[int] = []
    out = SerialExecutor().map(operator.neg, [3, 1, 2], ticks.append)
    assert out == [-3, -1, -2]
    assert ticks == [1, 1, 1]


def test_process_pool_keeps_order_and_raises_worker_errors() -> None:
    with ProcessExecutor(2) as executor:
        ticks: list[int] = []
        assert executor.map(math.sqrt, [9.0, 4.0, 1.0, 16.0], ticks.append) == [3, 2, 1, 4]
        assert len(ticks) == 4
        with pytest.raises(ValueError):
            executor.map(math.sqrt, [4.0, -1.0])


def test_make_executor_chooses_from_the_options() -> None:
    assert isinstance(make_executor(), SerialExecutor)
    assert isinstance(make_executor(1), SerialExecutor)
    with make_executor(2, kind="processes") as executor:
        assert isinstance(executor, ProcessExecutor)
        assert executor.describe() == {"executor": "processes", "workers": 2}
    with pytest.raises(ValueError):
        make_executor(0)


def _space_continuous() -> object:
    return input_space(random_scenario(np.random.default_rng(21)))


def _space_shared() -> object:
    return input_space(
        toy(
            {
                "no_deal: {cost: 10}": "no_deal: {cost: {dist: normal, mean: 10, sd: 8}}",
                "reservation: 40": "reservation: {dist: triangular, low: 30, mode: 45, high: 70}",
                "red_lines: {border: [north_line]}": "red_lines: {border: {options: [north_line], p: 0.7}}",
            }
        )
    )


@needs_dask
@pytest.mark.parametrize(
    ("make_space", "samples"), [(_space_shared, 3000), (_space_continuous, 600)]
)
def test_one_worker_two_workers_and_dask_agree_bit_for_bit(
    make_space: object, samples: int
) -> None:
    space = make_space()  # type: ignore[operator]
    run = partial(robustness, space, samples, 7, block_size=256)
    serial = run(executor=SerialExecutor()).to_dict()
    with ProcessExecutor(2) as pool:
        processes = run(executor=pool).to_dict()
    with DaskExecutor(workers=2) as cluster:
        dask = run(executor=cluster).to_dict()
    assert serial == processes == dask
    assert 0 < serial["p_zopa"] <= 1


@needs_dask
def test_a_running_scheduler_given_by_address_gives_the_same_result() -> None:
    # What `--scheduler tcp://HOST:8786` does: connect to a cluster started elsewhere (here a
    # LocalCluster of two single-threaded workers) by its address.
    from distributed import LocalCluster

    space = _space_continuous()
    run = partial(robustness, space, 600, 3, block_size=256)
    serial = run(executor=SerialExecutor()).to_dict()
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        with make_executor(scheduler=address) as executor:
            assert isinstance(executor, DaskExecutor)
            assert executor.describe()["scheduler"] == address
            assert executor.workers == 2
            remote = run(executor=executor).to_dict()
    assert remote == serial
