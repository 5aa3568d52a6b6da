/* Addresses: encoded to sockaddr bytes and decoded from them by rawsock._address (through rawsock._codecs),
   with a cache each way so that a datagram loop pays for a dictionary lookup, not a Python call. */
#include "rawsock.h"

#define RS_CACHE_MAX 1024

static PyObject *rs_encoded;   /* address -> (type, sockaddr bytes) */
static PyObject *rs_decoded;   /* sockaddr bytes -> address */
static PyObject *rs_sockaddr_types;   /* the typed address classes whose equality means "the same sockaddr" */

int rs_address_init(void)
{
    PyObject *m = PyImport_ImportModule("rawsock._address");
    if (m == NULL)
        return -1;
    rs_sockaddr_types = PyObject_GetAttrString(m, "CACHEABLE");
    Py_DECREF(m);
    if (rs_sockaddr_types == NULL)
        return -1;
    if (!PyTuple_Check(rs_sockaddr_types)) {
        PyErr_SetString(PyExc_TypeError, "rawsock._address.CACHEABLE must be a tuple of classes");
        return -1;
    }
    rs_encoded = PyDict_New();
    rs_decoded = PyDict_New();
    return rs_encoded != NULL && rs_decoded != NULL ? 0 : -1;
}

/* Only addresses whose equality means "the same sockaddr" are cached: str and bytes paths, and plain tuples
   or rawsock's own address classes whose items are exact str, int or bytes.  A hit must also have the type
   the entry was made for (a RawSockaddr equals the plain tuple of its fields, but encodes differently). */
static int rs_cacheable(PyObject *addr)
{
    Py_ssize_t i, n;
    PyTypeObject *t = Py_TYPE(addr);
    if (t == &PyUnicode_Type || t == &PyBytes_Type)
        return 1;
    if (t != &PyTuple_Type) {
        for (i = 0; i < PyTuple_GET_SIZE(rs_sockaddr_types); i++)
            if ((PyObject *)t == PyTuple_GET_ITEM(rs_sockaddr_types, i))
                break;
        if (i == PyTuple_GET_SIZE(rs_sockaddr_types))
            return 0;
    }
    n = PyTuple_GET_SIZE(addr);
    for (i = 0; i < n; i++) {
        PyTypeObject *it = Py_TYPE(PyTuple_GET_ITEM(addr, i));
        if (it != &PyUnicode_Type && it != &PyLong_Type && it != &PyBytes_Type && PyTuple_GET_ITEM(addr, i) != Py_None)
            return 0;
    }
    return 1;
}

static void rs_cache_put(PyObject *cache, PyObject *key, PyObject *value)
{
    if (PyDict_GET_SIZE(cache) >= RS_CACHE_MAX)
        PyDict_Clear(cache);
    if (PyDict_SetItem(cache, key, value) < 0)
        PyErr_Clear();   /* a cache that cannot store is only slower */
}

/* The sockaddr bytes for an address (a new reference), and the longest addrlen that may go with them: the
   bytes' own length for a RawSockaddr (passed verbatim), sizeof(struct sockaddr_storage) for a typed one
   (zero-padded). */
PyObject *rs_address_encode(PyObject *addr, int *limit)
{
    PyObject *entry, *raw;
    int cacheable = rs_cacheable(addr);
    if (cacheable) {
        entry = PyDict_GetItemWithError(rs_encoded, addr);   /* may run an address's __eq__: fine here */
        if (entry != NULL && PyTuple_GET_ITEM(entry, 0) == (PyObject *)Py_TYPE(addr)) {
            raw = PyTuple_GET_ITEM(entry, 1);
            Py_INCREF(raw);
            *limit = (int)PyLong_AsLong(PyTuple_GET_ITEM(entry, 2));
            return raw;
        }
        if (PyErr_Occurred())
            PyErr_Clear();   /* e.g. unhashable after all: encode it every time */
    }
    raw = PyObject_CallOneArg(rs_py.address_encode, addr);
    if (raw == NULL)
        return NULL;
    if (!PyBytes_CheckExact(raw)) {
        PyErr_SetString(PyExc_TypeError, "rawsock._codecs.address_encode must return bytes");
        Py_DECREF(raw);
        return NULL;
    }
    *limit = PyObject_TypeCheck(addr, (PyTypeObject *)rs_py.raw_sockaddr) ? (int)PyBytes_GET_SIZE(raw)
                                                                          : (int)sizeof(struct sockaddr_storage);
    if (cacheable) {
        PyObject *value = Py_BuildValue("(OOi)", (PyObject *)Py_TYPE(addr), raw, *limit);
        if (value != NULL) {
            rs_cache_put(rs_encoded, addr, value);
            Py_DECREF(value);
        } else {
            PyErr_Clear();
        }
    }
    return raw;
}

/* The address for the sockaddr bytes the kernel returned (len of them, at most sizeof(sockaddr_storage)):
   a new reference. */
PyObject *rs_address_decode(const void *raw, socklen_t len)
{
    PyObject *key, *addr;
    if (len > sizeof(struct sockaddr_storage))
        len = sizeof(struct sockaddr_storage);
    key = PyBytes_FromStringAndSize((const char *)raw, (Py_ssize_t)len);
    if (key == NULL)
        return NULL;
    addr = PyDict_GetItemWithError(rs_decoded, key);
    if (addr != NULL) {
        Py_INCREF(addr);
    } else if (!PyErr_Occurred()) {
        addr = PyObject_CallOneArg(rs_py.address_decode, key);
        if (addr != NULL)
            rs_cache_put(rs_decoded, key, addr);
    }
    Py_DECREF(key);
    return addr;
}
