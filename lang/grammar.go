package lang

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar follows the EBNF of the Melange paper (EuroSys 2007, figure 2),
// written in ASCII: "->" and "=>" for the arrows, "*" for multiplication.
//
//	spec      = { packet | wiretype } .
//	wiretype  = "type" ident ( "int" | "bool" | "string" | "bytes" ) "=" string [ ";" ] .
//	packet    = "packet" ident [ "(" [ param { "," param } ] ")" ] "{" { stmt } "}" [ ";" ] .
//	param     = ( "int" | "bool" ) ident .
//	stmt      = "classify" "(" ident ")" "{" case { case } "}" [ ";" ]
//	          | "(" ")" ";"
//	          | ident ":" "array" ( "(" expr ")" | "[" expr "]" ) { attr } "{" { stmt } "}" [ ";" ]
//	          | ident ":" type { attr } ";" .
//	type      = "packet" ident [ "(" [ expr { "," expr } ] ")" ]
//	          | ident [ "[" expr "]" ] .
//	attr      = "variant" "{" { "|" expr ( "=>" | "->" ) ident } "}"
//	          | ident "(" [ expr { "," expr } ] ")" .
//	case      = "|" ( "_" | expr [ ".." expr ] ) ":" string [ "when" "(" expr ")" ] "->" stmt { stmt } .
//	expr      = and { "or" and } .
//	and       = not { "and" not } .
//	not       = ( "not" | "!" ) not | cmp .
//	cmp       = sum [ ( "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" ) sum ] .
//	sum       = prod { ( "+" | "-" ) prod } .
//	prod      = unary { ( "*" | "/" | "%" ) unary } .
//	unary     = ( "-" | "+" ) unary | primary .
//	primary   = int | string | "true" | "false" | ident "(" [ expr { "," expr } ] ")" | ident | "(" expr ")" .

var mplLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Comment", Pattern: `//[^\n]*|/\*([^*]|\*+[^*/])*\*+/`},
	{Name: "OpenComment", Pattern: `/\*`},
	{Name: "Whitespace", Pattern: `[ \t\r\n]+`},
	{Name: "Int", Pattern: `0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9][0-9_]*`},
	{Name: "String", Pattern: `"(\\.|[^"\\\n])*"`},
	{Name: "OpenString", Pattern: `"`},
	{Name: "Ident", Pattern: `[a-zA-Z_][a-zA-Z0-9_]*`},
	{Name: "Punct", Pattern: `=>|->|\.\.|==|!=|<=|>=|[-+*/%(){}\[\];:,|<>=!]`},
})

type specAST struct {
	Pos   lexer.Position
	Decls []*declAST `parser:"@@*"`
	// Packets and Types are the declarations, sorted out after parsing.
	Packets []*packetAST
	Types   []*wireTypeAST
}

type declAST struct {
	Packet *packetAST   `parser:"  @@"`
	Type   *wireTypeAST `parser:"| @@"`
}

// wireTypeAST declares a custom wire type: its name in the spec, the kind
// of its value, and the Go type ("import/path.Name") that implements it.
type wireTypeAST struct {
	Pos  lexer.Position
	Name nameAST  `parser:"'type' @@"`
	Kind nameAST  `parser:"@@ '='"`
	Go   labelAST `parser:"@@ ';'?"`
}

type packetAST struct {
	Pos    lexer.Position
	Name   nameAST     `parser:"'packet' @@"`
	Params []*paramAST `parser:"( '(' ( @@ ( ',' @@ )* )? ')' )?"`
	Body   []*stmtAST  `parser:"'{' @@* '}' ';'?"`
}

type nameAST struct {
	Pos  lexer.Position
	Name string `parser:"@Ident"`
}

type paramAST struct {
	Pos  lexer.Position
	Type string  `parser:"@Ident"`
	Name nameAST `parser:"@@"`
}

type stmtAST struct {
	Pos      lexer.Position
	Classify *classifyAST `parser:"  @@"`
	Empty    bool         `parser:"| @( '(' ')' ) ';'"`
	Array    *arrayAST    `parser:"| @@"`
	Field    *fieldAST    `parser:"| @@"`
}

type classifyAST struct {
	Pos   lexer.Position
	On    nameAST    `parser:"'classify' '(' @@ ')'"`
	Cases []*caseAST `parser:"'{' @@+ '}' ';'?"`
}

type caseAST struct {
	Pos      lexer.Position
	Wildcard bool       `parser:"'|' ( @'_'"`
	Value    *exprAST   `parser:"    | @@"`
	High     *exprAST   `parser:"      ( '..' @@ )? )"`
	Label    labelAST   `parser:"':' @@"`
	Guard    *exprAST   `parser:"( 'when' '(' @@ ')' )?"`
	Body     []*stmtAST `parser:"'->' @@+"`
}

type labelAST struct {
	Pos  lexer.Position
	Text string `parser:"@String"`
}

type arrayAST struct {
	Pos   lexer.Position
	Name  nameAST    `parser:"@@ ':' 'array'"`
	Count *exprAST   `parser:"(  '(' @@ ')'"`
	Bytes *exprAST   `parser:"  | '[' @@ ']' )"`
	Attrs []*attrAST `parser:"@@*"`
	Body  []*stmtAST `parser:"'{' @@* '}' ';'?"`
}

type fieldAST struct {
	Pos   lexer.Position
	Name  nameAST    `parser:"@@ ':'"`
	Type  typeAST    `parser:"@@"`
	Attrs []*attrAST `parser:"@@* ';'"`
}

type typeAST struct {
	Pos    lexer.Position
	Packet *nameAST   `parser:"(   'packet' @@"`
	Args   []*exprAST `parser:"    ( '(' ( @@ ( ',' @@ )* )? ')' )?"`
	Name   string     `parser:"  | @Ident )"`
	Size   *exprAST   `parser:"( '[' @@ ']' )?"`
}

type attrAST struct {
	Pos      lexer.Position
	Variant  []*variantItemAST `parser:"(   'variant' '{' @@* '}'"`
	Checksum *checksumAST      `parser:"  | 'checksum' '(' @@ ')'"`
	Name     string            `parser:"  | @Ident"`
	Args     []*exprAST        `parser:"    '(' ( @@ ( ',' @@ )* )? ')' )"`
}

// checksumAST is checksum(from .. [to] {, term}): the fields covered and
// the pseudo-header's terms.
type checksumAST struct {
	Pos   lexer.Position
	From  nameAST    `parser:"@@ '..'"`
	To    *nameAST   `parser:"@@?"`
	Terms []*exprAST `parser:"( ',' @@ )*"`
}

type variantItemAST struct {
	Pos     lexer.Position
	Value   *exprAST `parser:"'|' @@"`
	Default bool     `parser:"( @'=>' | '->' )"`
	Name    nameAST  `parser:"@@"`
}

// Expressions: one struct per precedence level. toExpr flattens them into
// the uniform expr tree the rest of the package works on.

type exprAST struct {
	Pos  lexer.Position
	X    *andAST   `parser:"@@"`
	Rest []*orRest `parser:"@@*"`
}

type orRest struct {
	Pos lexer.Position
	Op  string  `parser:"@'or'"`
	Y   *andAST `parser:"@@"`
}

type andAST struct {
	Pos  lexer.Position
	X    *notAST    `parser:"@@"`
	Rest []*andRest `parser:"@@*"`
}

type andRest struct {
	Pos lexer.Position
	Op  string  `parser:"@'and'"`
	Y   *notAST `parser:"@@"`
}

type notAST struct {
	Pos lexer.Position
	Not *notAST `parser:"  ( 'not' | '!' ) @@"`
	X   *cmpAST `parser:"| @@"`
}

type cmpAST struct {
	Pos lexer.Position
	X   *sumAST `parser:"@@"`
	Op  string  `parser:"( @( '=' | '==' | '!=' | '<=' | '>=' | '<' | '>' )"`
	Y   *sumAST `parser:"  @@ )?"`
}

type sumAST struct {
	Pos  lexer.Position
	X    *prodAST   `parser:"@@"`
	Rest []*sumRest `parser:"@@*"`
}

type sumRest struct {
	Pos lexer.Position
	Op  string   `parser:"@( '+' | '-' )"`
	Y   *prodAST `parser:"@@"`
}

type prodAST struct {
	Pos  lexer.Position
	X    *unaryAST   `parser:"@@"`
	Rest []*prodRest `parser:"@@*"`
}

type prodRest struct {
	Pos lexer.Position
	Op  string    `parser:"@( '*' | '/' | '%' )"`
	Y   *unaryAST `parser:"@@"`
}

type unaryAST struct {
	Pos lexer.Position
	Op  string      `parser:"(  @( '-' | '+' )"`
	X   *unaryAST   `parser:"   @@ )"`
	P   *primaryAST `parser:"| @@"`
}

type primaryAST struct {
	Pos   lexer.Position
	Int   *string  `parser:"  @Int"`
	Str   *string  `parser:"| @String"`
	Bool  *string  `parser:"| @( 'true' | 'false' )"`
	Call  *callAST `parser:"| @@"`
	Ident *string  `parser:"| @Ident"`
	Paren *exprAST `parser:"| '(' @@ ')'"`
}

type callAST struct {
	Pos  lexer.Position
	Name string     `parser:"@Ident '('"`
	Args []*exprAST `parser:"( @@ ( ',' @@ )* )? ')'"`
}

var mplParser = participle.MustBuild[specAST](
	participle.Lexer(mplLexer),
	participle.Elide("Comment", "Whitespace"),
	participle.UseLookahead(4),
)
