from django.test import RequestFactory, override_settings

from articles.clients import client_address

factory = RequestFactory()


def request(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return factory.get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_balancer_the_reader_is_the_last_untrusted_hop():
    # The client wrote a fake first hop; the balancer appended the reader's real address.
    assert client_address(request("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "192.0.2.1"])
def test_chains_of_trusted_proxies_are_walked_and_untrusted_senders_are_not_believed():
    assert client_address(request("10.0.0.2", "198.51.100.7, 192.0.2.1")) == "198.51.100.7"
    assert client_address(request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
    assert client_address(request("10.0.0.2", "not an address, 10.1.1.1")) == "not an address"
    assert client_address(request("10.0.0.2")) == "10.0.0.2"
