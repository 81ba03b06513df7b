from robots.engine.session_lifetime import SessionLifetime


def test_nothing_is_renewed_before_any_session_was_seen_to_expire():
    assert not SessionLifetime().renew_before(10_000)


def test_a_session_that_would_expire_during_the_next_record_is_renewed_first():
    lifetime = SessionLifetime()
    lifetime.expired(20.0)
    lifetime.record_took(8.0)
    assert not lifetime.renew_before(5.0)  # 5 + 12 < 20
    assert lifetime.renew_before(9.0)  # 9 + 12 >= 20


def test_the_shortest_expiry_seen_bounds_the_lifetime():
    lifetime = SessionLifetime()
    lifetime.expired(30.0)
    lifetime.expired(21.0)
    lifetime.expired(40.0)
    assert lifetime.shortest_expiry_s == 21.0


def test_before_any_record_finished_half_a_lifetime_is_the_limit():
    lifetime = SessionLifetime()
    lifetime.expired(20.0)
    assert not lifetime.renew_before(9.0)
    assert lifetime.renew_before(10.0)
