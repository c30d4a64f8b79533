import threading

from avatarlink.pipeline.slot import LatestSlot


def test_put_overwrites_untaken_item_and_counts_the_drop():
    slot: LatestSlot[int] = LatestSlot()
    slot.put(1)
    slot.put(2)
    slot.put(3)
    assert slot.get(timeout=0) == 3
    assert slot.drops == 2
    assert slot.puts == 3
    assert slot.get(timeout=0) is None


def test_taken_items_are_not_drops():
    slot: LatestSlot[int] = LatestSlot()
    for i in range(5):
        slot.put(i)
        assert slot.get(timeout=0) == i
    assert slot.drops == 0


def test_close_wakes_a_waiting_consumer_and_keeps_the_last_item():
    slot: LatestSlot[str] = LatestSlot()
    got: list[object] = []
    consumer = threading.Thread(target=lambda: got.append(slot.get()))
    consumer.start()
    slot.close()
    consumer.join(timeout=5)
    assert got == [None]
    slot.put("late")
    assert slot.get() == "late"
    assert slot.get() is None
    assert slot.closed


def test_slow_consumer_only_ever_sees_the_newest_items():
    slot: LatestSlot[int] = LatestSlot()
    seen: list[int] = []
    produced = threading.Event()

    def producer() -> None:
        for i in range(2000):
            slot.put(i)
        produced.set()
        slot.close()

    thread = threading.Thread(target=producer)
    thread.start()
    while (item := slot.get()) is not None:
        seen.append(item)
        produced.wait(0.001)  # a consumer slower than the producer
    thread.join()
    assert seen == sorted(seen)
    assert seen[-1] == 1999
    assert slot.drops == 2000 - len(seen)
