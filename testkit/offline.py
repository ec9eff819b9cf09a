"""No test reaches the network: connections to anything but this machine fail at once, with the address tried."""

import contextlib
import ipaddress
import socket

LOOPBACK_NAMES = {None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}


class NetworkBlocked(OSError):
    """Raised when code under test tries to reach another machine. An OSError, as being offline is."""


def is_loopback(host):
    return host in LOOPBACK_NAMES or str(host).startswith("127.")


def is_address(host):
    """True for a numeric address such as 192.0.2.1, which needs no look-up (connecting to it is checked)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@contextlib.contextmanager
def network_blocked():
    """Inside the block, connecting to or looking up any host but this machine raises NetworkBlocked."""
    original_connect, original_connect_ex = socket.socket.connect, socket.socket.connect_ex
    original_getaddrinfo = socket.getaddrinfo

    def refuse(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(address[0]):
            raise NetworkBlocked(f"tests run offline: a connection to {address[0]}:{address[1]} was attempted")

    def connect(sock, address):
        refuse(sock, address)
        return original_connect(sock, address)

    def connect_ex(sock, address):
        refuse(sock, address)
        return original_connect_ex(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if not (is_loopback(name) or is_address(name)):
            raise NetworkBlocked(f"tests run offline: the address of {host} was looked up")
        return original_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex = original_connect, original_connect_ex
        socket.getaddrinfo = original_getaddrinfo
