/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A relocatable object as the patch builder sees it: its sections (with
 * their relocations) and its symbols, read with libelf. Built with
 * -ffunction-sections -fdata-sections, each function and variable has a
 * section of its own, which is the unit the diff compares and copies.
 */
#ifndef PB_OBJECT_H
#define PB_OBJECT_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pb_change { PB_SAME, PB_CHANGED, PB_NEW };

struct pb_rela {
	uint64_t offset;
	uint32_t type;
	int64_t addend;
	size_t sym;		/* index into the object's symbols */
};

struct pb_symbol;

struct pb_section {
	size_t index;
	const char *name;
	GElf_Shdr sh;
	const unsigned char *data;	/* NULL for SHT_NOBITS */
	size_t size;
	struct pb_rela *relas;		/* sorted by offset */
	size_t nrelas;
	struct pb_symbol *sym;		/* function or object at offset 0 */
	struct pb_symbol *secsym;	/* its STT_SECTION symbol */
	/* Set by the diff and the closure. */
	struct pb_section *twin;
	enum pb_change change;
	bool include;
	size_t out_index;
	/* Special sections: the entries kept (NULL: all, or not special). */
	bool *keep;
};

struct pb_symbol {
	size_t index;
	const char *name;
	GElf_Sym s;
	struct pb_section *sec;		/* NULL: undefined, absolute, common */
	struct pb_symbol *twin;
	struct pb_symbol *parent;	/* foo.cold -> foo */
	enum pb_change change;
	bool include;
	bool by_callers;	/* untraceable: its callers are replaced */
	struct pb_symbol *via;	/* replaced because it calls this one */
	size_t out_index;
};

struct pb_object {
	char *path;
	int fd;
	Elf *elf;
	struct pb_section *secs;
	size_t nsecs;
	struct pb_symbol *syms;
	size_t nsyms;
};

int pb_object_open(struct pb_object *o, const char *path, char *err,
		   size_t errlen);
void pb_object_close(struct pb_object *o);

struct pb_section *pb_section_by_name(struct pb_object *o, const char *name);
struct pb_symbol *pb_symbol_by_name(struct pb_object *o, const char *name);
/* The function or object symbol of @sec that covers @offset, else NULL. */
struct pb_symbol *pb_symbol_at(struct pb_object *o, struct pb_section *sec,
			       uint64_t offset);

static inline int pb_sym_type(const struct pb_symbol *s)
{
	return GELF_ST_TYPE(s->s.st_info);
}

static inline int pb_sym_bind(const struct pb_symbol *s)
{
	return GELF_ST_BIND(s->s.st_info);
}

static inline bool pb_sec_is_text(const struct pb_section *sec)
{
	return sec->sh.sh_flags & SHF_EXECINSTR;
}

/* Bytes a relocation of @type writes (0: a type the builder does not know). */
unsigned int pb_rela_width(uint32_t type);
/* The offset a relocation points at in its target, as the code means it. */
int64_t pb_rela_target_offset(const struct pb_rela *r, const struct pb_symbol *to);

#endif
