/* What every cmocka test file includes, in the order cmocka needs. */
#ifndef SURAT_TESTUTIL_H
#define SURAT_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#endif
