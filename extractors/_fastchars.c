/* Native passes of extractors/pdf_reader.py: the same steps as its `_chars` and the first half
 * of `_segments` (clusters -> raw segments), and as `_page_objects`, done in C because they touch
 * every character (every object) of every page and, through ctypes, cost three or four foreign
 * calls each.
 *
 * The pdfium functions are not linked: Python hands over their addresses (from pypdfium2's
 * ctypes bindings), so this module works with whichever libpdfium pypdfium2 loaded.
 * The Python path stays the reference; tests/test_native.py checks both give the same
 * segments on every fixture and on the real PDFs. Returns None when a page is outside what
 * this pass handles (too many marks on one character), and Python then does the page.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct { float left, top, right, bottom; } RectF;
typedef int (*count_fn)(void *);
typedef unsigned int (*unicode_fn)(void *, int);
typedef int (*loose_fn)(void *, int, RectF *);
typedef int (*box_fn)(void *, int, double *, double *, double *, double *);
typedef int (*origin_fn)(void *, int, double *, double *);
typedef double (*size_fn)(void *, int);
typedef int (*generated_fn)(void *, int);

#define MAX_CODES 8           /* a base and up to 7 marks: more sends the page to Python */
#define HOST_WINDOW 400       /* how far back a stray mark looks for its base */

typedef struct {
    Py_UCS4 codes[MAX_CODES];
    int ncodes;
    double x0, x1, y, size, mx0, mx1;
    int space, generated, tab;
} Cluster;

typedef struct { double tie_pt; } HostParams;

static int is_mark(unsigned int u) {
    return u == 0x0E31 || (u >= 0x0E34 && u <= 0x0E3A) || (u >= 0x0E47 && u <= 0x0E4E);
}

static unsigned int latin1_tone(unsigned int u) {
    switch (u) {
    case 0xC9: return 0x0E48;
    case 0xCA: return 0x0E49;
    case 0xCB: return 0x0E4A;
    case 0xCC: return 0x0E4B;
    case 0xCD: return 0x0E4C;
    default: return 0;
    }
}

static int near_line(const Cluster *c, double mark_baseline) {
    return fabs(c->y - mark_baseline) < 0.5 * c->size;
}

/* pdf_reader._host */
static Cluster *find_host(Cluster *cl, Py_ssize_t n, double x0, double x1, double y, double tie) {
    double mid = (x0 + x1) / 2;
    Cluster *last = NULL;
    for (Py_ssize_t k = n - 1; k >= 0 && k >= n - 3; k--)
        if (!cl[k].space) { last = &cl[k]; break; }
    if (last && last->x0 <= mid && mid <= last->x1 && near_line(last, y))
        return last;
    Cluster *best = NULL;
    double best_score = 0.0;
    for (Py_ssize_t k = n - 1; k >= 0 && k >= n - HOST_WINDOW; k--) {
        Cluster *c = &cl[k];
        if (c->space || !near_line(c, y))
            continue;
        double e0 = c->x0, e1 = c->x1;
        if (c->mx1 > c->mx0) {
            e0 = c->mx0 < c->x0 ? c->mx0 : c->x0;
            e1 = c->mx1 > c->x1 ? c->mx1 : c->x1;
        }
        double overlap = (x1 < e1 ? x1 : e1) - (x0 > e0 ? x0 : e0);
        double score = overlap > 0 ? overlap : -fabs((e0 + e1) / 2 - mid);
        if (best == NULL || score > best_score + tie
            || (score > best_score - tie && overlap > 0 && c->x0 < best->x0)) {
            best_score = best != NULL ? (score > best_score ? score : best_score) : score;
            best = c;
        }
    }
    if (best && best_score > -0.5 * best->size)
        return best;
    return last;
}

/* pdf_reader._thai_under: a Thai letter on the line at `y` whose box overlaps [x0, x1] */
static int thai_under(Cluster *cl, Py_ssize_t n, double x0, double x1, double y) {
    for (Py_ssize_t k = n - 1; k >= 0 && k >= n - HOST_WINDOW; k--) {
        Cluster *c = &cl[k];
        if (c->space || !near_line(c, y) || c->codes[0] < 0x0E01 || c->codes[0] > 0x0E2E)
            continue;
        if ((x1 < c->x1 ? x1 : c->x1) - (x0 > c->x0 ? x0 : c->x0) > 0)
            return 1;
    }
    return 0;
}

typedef struct {
    Py_UCS4 *text;
    Py_ssize_t len, cap;
    double x0, x1, y, size;
} Seg;

static int seg_add(Seg *s, const Py_UCS4 *codes, int n) {
    if (s->len + n > s->cap) {
        Py_ssize_t cap = s->cap ? s->cap * 2 : 64;
        while (cap < s->len + n) cap *= 2;
        Py_UCS4 *t = realloc(s->text, cap * sizeof(Py_UCS4));
        if (!t) return -1;
        s->text = t;
        s->cap = cap;
    }
    memcpy(s->text + s->len, codes, n * sizeof(Py_UCS4));
    s->len += n;
    return 0;
}

/* Does a vertical ruling (x, y0, y1 in `cuts`, flat) stand between a segment's end and the
   next character on baseline y? A cell border then ends the segment (pdf_reader._crosses). */
static int crosses(const double *cuts, Py_ssize_t ncuts, double x1, double x0, double y, double tol) {
    for (Py_ssize_t i = 0; i + 2 < ncuts; i += 3) {
        double x = cuts[i];
        if (cuts[i + 1] - 1.0 <= y && y <= cuts[i + 2] + 1.0 && x1 <= x + tol && x0 >= x - tol)
            return 1;
    }
    return 0;
}

static PyObject *raw_segments(PyObject *self, PyObject *args) {
    unsigned long long tp_addr, f_count, f_unicode, f_loose, f_box, f_origin, f_size, f_gen;
    double min_font, tie, gap_em, space_em, baseline_em, cut_tol = 1.0, am_narrow_em = 0.0, am_aa_em = 0.0;
    PyObject *cut_obj = NULL;
    if (!PyArg_ParseTuple(args, "K(KKKKKKK)ddddd|Oddd", &tp_addr, &f_count, &f_unicode, &f_loose,
                          &f_box, &f_origin, &f_size, &f_gen, &min_font, &tie, &gap_em,
                          &space_em, &baseline_em, &cut_obj, &cut_tol, &am_narrow_em, &am_aa_em))
        return NULL;
    double *cuts = NULL;
    Py_ssize_t ncuts = 0;
    if (cut_obj && cut_obj != Py_None) {
        PyObject *seq = PySequence_Fast(cut_obj, "cuts must be a sequence");
        if (!seq) return NULL;
        ncuts = PySequence_Fast_GET_SIZE(seq);
        cuts = ncuts ? malloc(sizeof(double) * (size_t)ncuts) : NULL;
        if (ncuts && !cuts) { Py_DECREF(seq); return PyErr_NoMemory(); }
        for (Py_ssize_t i = 0; i < ncuts; i++)
            cuts[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(seq, i));
        Py_DECREF(seq);
        if (PyErr_Occurred()) { free(cuts); return NULL; }
    }
    void *tp = (void *)(uintptr_t)tp_addr;
    count_fn count = (count_fn)(uintptr_t)f_count;
    unicode_fn get_unicode = (unicode_fn)(uintptr_t)f_unicode;
    loose_fn get_loose = (loose_fn)(uintptr_t)f_loose;
    box_fn get_box = (box_fn)(uintptr_t)f_box;
    origin_fn get_origin = (origin_fn)(uintptr_t)f_origin;
    size_fn get_size = (size_fn)(uintptr_t)f_size;
    generated_fn is_generated = (generated_fn)(uintptr_t)f_gen;

    int n = count(tp);
    if (n <= 0) {
        free(cuts);
        return PyList_New(0);
    }
    Cluster *cl = malloc(sizeof(Cluster) * (size_t)n);
    if (!cl) {
        free(cuts);
        return PyErr_NoMemory();
    }
    Py_ssize_t nc = 0;
    /* like the Python path, values persist when pdfium leaves them untouched */
    double l = 0, r = 0, b = 0, t = 0, ox = 0, oy = 0;
    RectF loose = {0, 0, 0, 0};
    int tab = 0, have_last_y = 0, overflow = 0;
    Cluster *prev_base = NULL;
    double last_y = 0, last_size = 10.0;

    for (int i = 0; i < n; i++) {
        unsigned int u = get_unicode(tp, i);
        if (u == 0x0D || u == 0x0A || u == 0xFFFE || u == 0x02 || u == 0x00)
            continue;
        if (u == 0x09) { tab = 1; continue; }
        if (latin1_tone(u) && prev_base && prev_base->codes[0] >= 0x0E01 && prev_base->codes[0] <= 0x0E5B) {
            u = latin1_tone(u);
        } else if (latin1_tone(u)) {
            /* emitted after other characters ("ที 1 : É"): a tone mark if drawn over a Thai letter */
            get_box(tp, i, &l, &r, &b, &t);
            get_origin(tp, i, &ox, &oy);
            if (thai_under(cl, nc, l, r, oy))
                u = latin1_tone(u);
        }
        if (is_mark(u)) {
            get_box(tp, i, &l, &r, &b, &t);
            get_origin(tp, i, &ox, &oy);
            Cluster *host = find_host(cl, nc, l, r, oy, tie);
            if (host) {
                if (host->ncodes >= MAX_CODES) { overflow = 1; break; }
                host->codes[host->ncodes++] = u;
                if (r > l) {
                    host->mx0 = host->mx1 > host->mx0 ? (host->mx0 < l ? host->mx0 : l) : l;
                    host->mx1 = host->mx1 > r ? host->mx1 : r;
                }
            }
            continue;
        }
        get_loose(tp, i, &loose);
        get_origin(tp, i, &ox, &oy);
        if (!have_last_y || oy != last_y) {
            have_last_y = 1;
            last_y = oy;
            last_size = get_size(tp, i);
            if (last_size < min_font) {
                last_size = (double)loose.top - (double)loose.bottom;
                if (last_size == 0) last_size = 10.0;
            }
        }
        Cluster *c = &cl[nc++];
        c->codes[0] = u;
        c->ncodes = 1;
        c->x0 = loose.left;
        c->x1 = loose.right > loose.left ? loose.right : loose.left;
        c->y = oy;
        c->size = last_size;
        c->mx0 = c->mx1 = 0.0;
        c->space = u == 0x20;
        c->generated = c->space && is_generated(tp, i);
        c->tab = tab;
        if (!c->space)
            prev_base = c;
        tab = 0;
    }
    if (overflow) {
        free(cl);
        free(cuts);
        Py_RETURN_NONE;
    }

    /* clusters -> segments (pdf_reader._segments) */
    Seg *segs = NULL;
    Py_ssize_t ns = 0, scap = 0;
    Seg *cur = NULL;
    const Py_UCS4 space_code = 0x20;
    int failed = 0;
    for (Py_ssize_t k = 0; k < nc && !failed; k++) {
        Cluster *c = &cl[k];
        if (c->tab)
            cur = NULL;
        if (c->space) {
            if (cur == NULL || (cur->len && cur->text[cur->len - 1] == 0x20))
                continue;
            if (c->generated) {
                Cluster *nxt = NULL, *prev = NULL;
                for (Py_ssize_t j = k + 1; j < nc && j < k + 4; j++)
                    if (!cl[j].space) { nxt = &cl[j]; break; }
                for (Py_ssize_t j = k - 1; j >= 0 && j > k - 4; j--)
                    if (!cl[j].space) { prev = &cl[j]; break; }
                double need = space_em;
                /* pdf_reader._space_needed: a sara am whose box holds its nikhahit only */
                if (prev != NULL && prev->ncodes && prev->codes[prev->ncodes - 1] == 0x0E33
                    && prev->x1 - prev->x0 < am_narrow_em * c->size)
                    need += am_aa_em;
                if (nxt == NULL || nxt->x0 - cur->x1 < need * c->size)
                    continue;
            }
            failed = seg_add(cur, &space_code, 1);
            continue;
        }
        if (cur == NULL || fabs(c->y - cur->y) > baseline_em * c->size
            || c->x0 - cur->x1 > gap_em * c->size || c->x0 < cur->x0 - 0.5 * c->size
            || (ncuts && crosses(cuts, ncuts, cur->x1, c->x0, c->y, cut_tol))) {
            if (ns == scap) {
                Py_ssize_t cap = scap ? scap * 2 : 64;
                Seg *t2 = realloc(segs, sizeof(Seg) * (size_t)cap);
                if (!t2) { failed = 1; break; }
                segs = t2;
                scap = cap;
            }
            cur = &segs[ns++];
            memset(cur, 0, sizeof(Seg));
            cur->x0 = c->x0; cur->x1 = c->x1; cur->y = c->y; cur->size = c->size;
            failed = seg_add(cur, c->codes, c->ncodes);
        } else {
            failed = seg_add(cur, c->codes, c->ncodes);
            if (c->x1 > cur->x1) cur->x1 = c->x1;
        }
    }
    free(cl);
    free(cuts);
    PyObject *out = failed ? NULL : PyList_New(ns);
    for (Py_ssize_t k = 0; k < ns; k++) {
        if (out) {
            PyObject *text = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, segs[k].text, segs[k].len);
            PyObject *item = text ? Py_BuildValue("(ddddN)", segs[k].x0, segs[k].x1, segs[k].y,
                                                  segs[k].size, text) : NULL;
            if (!item) { Py_CLEAR(out); }
            else PyList_SET_ITEM(out, k, item);
        }
        free(segs[k].text);
    }
    free(segs);
    if (failed && !PyErr_Occurred())
        PyErr_NoMemory();
    return out;
}

typedef int (*obj_count_fn)(void *);
typedef void *(*obj_get_fn)(void *, int);
typedef int (*obj_type_fn)(void *);
typedef int (*obj_bounds_fn)(void *, float *, float *, float *, float *);

/* pdf_reader._page_objects: (type, (left, bottom, right, top)) of the page's top-level objects
 * of the wanted types, in one call instead of four foreign calls per object. */
static PyObject *page_objects(PyObject *self, PyObject *args) {
    unsigned long long page_addr, f_count, f_get, f_type, f_bounds;
    PyObject *wanted;
    if (!PyArg_ParseTuple(args, "K(KKKK)O", &page_addr, &f_count, &f_get, &f_type, &f_bounds, &wanted))
        return NULL;
    void *page = (void *)(uintptr_t)page_addr;
    obj_count_fn count = (obj_count_fn)(uintptr_t)f_count;
    obj_get_fn get = (obj_get_fn)(uintptr_t)f_get;
    obj_type_fn type = (obj_type_fn)(uintptr_t)f_type;
    obj_bounds_fn bounds = (obj_bounds_fn)(uintptr_t)f_bounds;
    PyObject *out = PyList_New(0);
    if (!out)
        return NULL;
    int n = count(page);
    for (int k = 0; k < n; k++) {
        void *obj = get(page, k);
        int kind = type(obj);
        PyObject *key = PyLong_FromLong(kind);
        if (!key) { Py_DECREF(out); return NULL; }
        int want = PySequence_Contains(wanted, key);
        Py_DECREF(key);
        if (want < 0) { Py_DECREF(out); return NULL; }
        float l, b, r, t;
        if (!want || !bounds(obj, &l, &b, &r, &t))
            continue;
        PyObject *item = Py_BuildValue("(i(dddd))", kind, (double)l, (double)b, (double)r, (double)t);
        if (!item || PyList_Append(out, item) < 0) { Py_XDECREF(item); Py_DECREF(out); return NULL; }
        Py_DECREF(item);
    }
    return out;
}

static PyMethodDef methods[] = {
    {"raw_segments", raw_segments, METH_VARARGS,
     "raw_segments(textpage, (fn addresses), min_font, tie_pt, gap_em, space_em, baseline_em"
     "[, cuts, cut_tol, am_narrow_em, am_aa_em])"
     " -> [(x0, x1, y, size, text)] or None"},
    {"page_objects", page_objects, METH_VARARGS,
     "page_objects(page, (fn addresses), wanted types) -> [(type, (left, bottom, right, top))]"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fastchars", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fastchars(void) { return PyModule_Create(&module); }
