import hashlib

from robots.run_folder.evidence import Evidence


def test_evidence_names_hold_the_position_and_a_keyed_hash_never_the_member_id(tmp_path):
    evidence = Evidence(tmp_path, b"k" * 16)
    stem = evidence.stem(7, "100000000001")
    assert stem.startswith("000007-")
    assert "100000000001" not in stem
    assert stem[7:] != hashlib.sha256(b"100000000001").hexdigest()[:10]  # not a plain, reversible hash
    assert Evidence(tmp_path, b"x" * 16).stem(7, "100000000001") != stem
