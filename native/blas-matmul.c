/*
 * BatchMatMul for tfjs-wasm in Node, on OpenBLAS (native/README.md says why and how it is used).
 *
 *   matmul(a, b, out, batchA, batchB, M, N, K, transA, transB)
 *
 * a, b and out are Float32Arrays: views of the wasm heap that tfjs-wasm keeps its tensors in,
 * so nothing is copied. a holds batchA matrices of M×K (K×M when transA), b batchB of K×N (N×K
 * when transB), row-major; a batch count of 1 is broadcast against the other. out receives
 * max(batchA, batchB) matrices of M×N.
 */
#include <node_api.h>
#include <cblas.h>
#include <stdint.h>
#include <string.h>

/* Declared by OpenBLAS (cblas.h of some versions leaves them out). */
extern char *openblas_get_corename(void);
extern int openblas_get_num_threads(void);
extern void openblas_set_num_threads(int);

#define CHECK(call)                                                                                \
  do {                                                                                             \
    if ((call) != napi_ok) {                                                                       \
      napi_throw_error(env, NULL, "blas-matmul: bad arguments");                                   \
      return NULL;                                                                                 \
    }                                                                                              \
  } while (0)

static float *float_data(napi_env env, napi_value v, size_t *length) {
  napi_typedarray_type type;
  void *data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, &data, &buffer, &offset) != napi_ok) return NULL;
  return type == napi_float32_array ? (float *)data : NULL;
}

static napi_value matmul(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 10) {
    napi_throw_error(env, NULL, "blas-matmul: matmul takes 10 arguments");
    return NULL;
  }
  size_t lenA, lenB, lenC;
  float *a = float_data(env, argv[0], &lenA);
  float *b = float_data(env, argv[1], &lenB);
  float *c = float_data(env, argv[2], &lenC);
  int32_t batchA, batchB, M, N, K;
  bool transA, transB;
  CHECK(napi_get_value_int32(env, argv[3], &batchA));
  CHECK(napi_get_value_int32(env, argv[4], &batchB));
  CHECK(napi_get_value_int32(env, argv[5], &M));
  CHECK(napi_get_value_int32(env, argv[6], &N));
  CHECK(napi_get_value_int32(env, argv[7], &K));
  CHECK(napi_get_value_bool(env, argv[8], &transA));
  CHECK(napi_get_value_bool(env, argv[9], &transB));
  int32_t batch = batchA > batchB ? batchA : batchB;
  if (!a || !b || !c || M < 0 || N < 0 || K < 0 || batchA < 1 || batchB < 1 ||
      (batchA != batch && batchA != 1) || (batchB != batch && batchB != 1) ||
      lenA < (size_t)batchA * M * K || lenB < (size_t)batchB * K * N || lenC < (size_t)batch * M * N) {
    napi_throw_error(env, NULL, "blas-matmul: shapes do not match the arrays");
    return NULL;
  }
  size_t strideA = batchA == 1 ? 0 : (size_t)M * K;
  size_t strideB = batchB == 1 ? 0 : (size_t)K * N;
  int lda = transA ? M : K, ldb = transB ? K : N;
  if (K == 0) {
    memset(c, 0, sizeof(float) * (size_t)batch * M * N);
    return NULL;
  }
  for (int32_t i = 0; i < batch; i++)
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, M, N, K,
                1.0f, a + i * strideA, lda, b + i * strideB, ldb, 0.0f, c + (size_t)i * M * N, N);
  return NULL;
}

static napi_value describe(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out, core, threads;
  CHECK(napi_create_object(env, &out));
  CHECK(napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &core));
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &threads));
  CHECK(napi_set_named_property(env, out, "core", core));
  CHECK(napi_set_named_property(env, out, "threads", threads));
  return out;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_int32(env, argv[0], &n));
  if (n >= 1) openblas_set_num_threads(n);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"matmul", NULL, matmul, NULL, NULL, NULL, napi_default, NULL},
      {"describe", NULL, describe, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
