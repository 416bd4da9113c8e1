;;; dockside.el --- Dockside language server for Eglot and lsp-mode  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, tools, docker
;; URL: https://github.com/dockside-dev/dockside

;;; Commentary:

;; Dockside lints the Dockerfiles of .NET solutions and serves them over the Language
;; Server Protocol (`dockside lsp').  Loading this file registers it for `dockerfile-mode'
;; and `dockerfile-ts-mode' with Eglot and with lsp-mode (whichever is loaded), and makes
;; Containerfile names open in `dockerfile-mode'.
;;
;;   (add-to-list 'load-path "/path/to/dockside/editors/emacs")
;;   (require 'dockside)
;;   (add-hook 'dockerfile-mode-hook #'eglot-ensure)   ; or #'lsp-deferred
;;
;; The major mode comes from the `dockerfile-mode' package (MELPA, Debian elpa-dockerfile-mode)
;; or, on Emacs 29+, `dockerfile-ts-mode' with its tree-sitter grammar.

;;; Code:

(defgroup dockside nil
  "Dockside, the language server for Dockerfiles of .NET solutions."
  :group 'tools
  :prefix "dockside-")

(defcustom dockside-server-command '("dockside" "lsp")
  "The command that starts the Dockside language server, as a list.
Give the full path of the binary as the first element when it is not on `exec-path'."
  :type '(repeat string)
  :group 'dockside)

(defconst dockside-major-modes '(dockerfile-mode dockerfile-ts-mode)
  "The major modes of Dockerfiles that Dockside serves.")

(defun dockside--server-command (&rest _)
  "The server command for Eglot (which calls this with INTERACTIVE and, later, PROJECT)."
  dockside-server-command)

;; `dockerfile-mode' already claims Dockerfile, Dockerfile.* and *.dockerfile (any case).
;; Its Dockerfile.* also takes `Dockerfile.dockerignore', the Dockerfile's own ignore file,
;; where Dockside would report every line as an unknown instruction: that one is a
;; plain `conf-unix-mode' file (# comments), like .dockerignore.
(when (fboundp 'dockerfile-mode)
  (add-to-list 'auto-mode-alist '("/Containerfile\\(?:\\.[^/\\]*\\)?\\'" . dockerfile-mode))
  (add-to-list 'auto-mode-alist '("\\.containerfile\\'" . dockerfile-mode))
  (add-to-list 'auto-mode-alist '("\\.\\(?:docker\\|container\\)ignore\\'" . conf-unix-mode)))

(with-eval-after-load 'eglot
  (defvar eglot-server-programs)
  ;; In front of Eglot's own entry for these modes (docker-langserver).
  (add-to-list 'eglot-server-programs
               `(,(mapcar (lambda (mode) `(,mode :language-id "dockerfile"))
                          dockside-major-modes)
                 . dockside--server-command)))

(declare-function lsp-register-client "lsp-mode")
(declare-function make-lsp-client "lsp-mode")
(declare-function lsp-stdio-connection "lsp-mode")
(declare-function lsp-activate-on "lsp-mode")
(defvar lsp-language-id-configuration)

(with-eval-after-load 'lsp-mode
  (dolist (mode dockside-major-modes)
    (add-to-list 'lsp-language-id-configuration `(,mode . "dockerfile")))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () dockside-server-command))
    :activation-fn (lsp-activate-on "dockerfile")
    ;; Above lsp-mode's own `dockerfile-ls' client (priority -1).
    :priority 1
    :server-id 'dockside)))

(provide 'dockside)

;;; dockside.el ends here
