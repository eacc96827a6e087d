// SPDX-License-Identifier: GPL-2.0
/* kgraft: instantiates the tracepoints declared in trace.h. */
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
