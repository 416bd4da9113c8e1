" Dockerfile names, the same set `dockside check` lints: Dockerfile, Containerfile,
" Dockerfile.<anything>, <anything>.Dockerfile, in upper or lower case; Neovim 0.7 misses
" *.dockerfile and lowercase names. `setfiletype` keeps a filetype that is already set.
autocmd BufNewFile,BufRead {Dockerfile,Containerfile,dockerfile,containerfile} setfiletype dockerfile
autocmd BufNewFile,BufRead *.{Dockerfile,Containerfile,dockerfile,containerfile} setfiletype dockerfile
autocmd BufNewFile,BufRead {Dockerfile,Containerfile,dockerfile,containerfile}.* setfiletype dockerfile

" `Dockerfile.dockerignore` is that Dockerfile's own ignore file (.dockerignore syntax), but
" Neovim's `Dockerfile.*` rule makes it a Dockerfile, and Dockside would report every line
" of it as an unknown instruction. Give it the filetype Neovim gives `.dockerignore`.
autocmd BufNewFile,BufRead *.dockerignore,*.containerignore set filetype=gitignore
